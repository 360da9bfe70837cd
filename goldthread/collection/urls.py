from django.urls import path

from goldthread.collection import import_views, template_views, views

app_name = "collection"
urlpatterns = [
    path("my-updates/", views.my_updates, name="my-updates"),
    path("indicators/<str:code>/figures/<str:period>/", views.enter_value, name="enter"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:pk>/approve/", views.approve, name="approve"),
    path("approvals/<int:pk>/return/", views.return_figure, name="return"),
    path("approvals/<int:pk>/publish/", views.publish, name="publish"),
    path("imports/", import_views.upload, name="import-upload"),
    path("imports/done/", import_views.done, name="import-done"),
    path("imports/template/", template_views.team_template, name="template-team"),
    path("my-updates/template/", template_views.my_template, name="template-mine"),
    path("my-updates/upload/", import_views.my_upload, name="my-upload"),
    path("my-updates/upload/done/", import_views.my_done, name="my-upload-done"),
    path("my-updates/upload/<str:token>/", import_views.my_check, name="my-upload-check"),
    path(
        "my-updates/upload/<str:token>/confirm/",
        import_views.my_confirm,
        name="my-upload-confirm",
    ),
    path("imports/<str:token>/", import_views.check, name="import-check"),
    path("imports/<str:token>/confirm/", import_views.confirm, name="import-confirm"),
]

# Evidence files for figures.
from goldthread.collection import evidence_views  # noqa: E402

urlpatterns += [
    path(
        "indicators/<str:code>/figures/<str:period>/evidence/",
        evidence_views.upload,
        name="evidence-upload",
    ),
    path("evidence/<str:token>/", evidence_views.download, name="evidence-download"),
    path("evidence/<str:token>/withdraw/", evidence_views.withdraw, name="evidence-withdraw"),
]

# Corrections after publication, reopened periods and the passport (ADR 11).
from goldthread.collection import correction_views, passport_views, reopen_views  # noqa: E402

urlpatterns += [
    path(
        "indicators/<str:code>/figures/<str:period>/correction/",
        correction_views.correct,
        name="correct",
    ),
    path(
        "approvals/corrections/<int:pk>/approve/",
        correction_views.approve,
        name="correction-approve",
    ),
    path(
        "approvals/corrections/<int:pk>/return/",
        correction_views.return_correction,
        name="correction-return",
    ),
    path(
        "approvals/corrections/<int:pk>/publish/",
        correction_views.publish,
        name="correction-publish",
    ),
    path("reopened-periods/", reopen_views.reopenings, name="reopenings"),
    path("reopened-periods/<int:pk>/close/", reopen_views.close, name="reopening-close"),
    path("indicators/<str:code>/passport/validate/", passport_views.validate, name="validate"),
    path("indicators/<str:code>/issues/new/", passport_views.new_issue, name="issue-new"),
    path(
        "indicators/<str:code>/issues/<int:pk>/resolve/",
        passport_views.resolve_issue,
        name="issue-resolve",
    ),
]
