from django.urls import path

from goldthread.structure import views

app_name = "structure"
urlpatterns = [
    path("golden-thread/", views.golden_thread, name="golden-thread"),
]
