"""Permission-matrix rows for performance clinics (picked up by core's test_permission_matrix).

Columns: public, Alice (performance officer), Bob (data owner, owns ENV1 and the action),
Charlie (director, chairs PC-9001, asked for PC-9003), Dana (cabinet member), Ed (committee
member, ENV1 in scope), Fay (system administrator).

PC-9001 is a managerial clinic about ENV1, held, with an action owned by Bob: internal, so
members get 404. PC-9002 is a planned challenge about ENV1, closed and published. PC-9003 is
an ad hoc challenge about HSG1 (outside Ed's scope) that Charlie asked for, not yet held.
"""

from __future__ import annotations

from goldthread.clinics import services
from goldthread.clinics.models import ClinicKind, ClinicOutcome
from goldthread.clinics.tests import helpers

# fmt: off
ROWS = {
    #  url                                               public alice bob charlie dana  ed  fay
    "/clinics/":                                         (302, 200, 200, 200, 200, 200, 200),
    # Each kind has its requesters; the system administrator requests none.
    "/clinics/request/":                                 (302, 200, 200, 200, 200, 200, 403),
    "/clinics/my-actions/":                              (302, 200, 200, 200, 200, 200, 200),
    "/clinics/NOPE/":                                    (302, 404, 404, 404, 404, 404, 404),
    # Managerial clinics are internal; member-led ones are for members whose scope they touch.
    "/clinics/PC-9001/":                                 (302, 200, 200, 200, 404, 404, 200),
    "/clinics/PC-9002/":                                 (302, 200, 200, 200, 200, 200, 200),
    "/clinics/PC-9003/":                                 (302, 200, 200, 200, 200, 404, 200),
    # The performance team organises; a held clinic is no longer scheduled.
    "/clinics/PC-9003/schedule/":                        (302, 200, 403, 403, 403, 404, 403),
    "/clinics/PC-9001/schedule/":                        (302, 403, 403, 403, 404, 404, 403),
    "/clinics/PC-9001/panel/add/":                       (302, 200, 403, 403, 404, 404, 403),
    "/clinics/PC-9001/panel/999999/remove/":             (302, 404, 403, 403, 404, 404, 403),
    "/clinics/PC-9001/exit-criteria/":                   (302, 200, 403, 403, 404, 404, 403),
    # Whoever asked for a clinic (or the performance team) may withdraw it before it is held.
    "/clinics/PC-9003/withdraw/":                        (302, 200, 403, 200, 403, 404, 403),
    "/clinics/PC-9001/withdraw/":                        (302, 403, 403, 403, 404, 404, 403),
    # The performance team or the chair minutes, plans and decides.
    "/clinics/PC-9001/minutes/record/":                  (302, 200, 403, 200, 404, 404, 403),
    "/clinics/PC-9003/minutes/record/":                  (302, 403, 403, 403, 403, 404, 403),
    "/clinics/PC-9001/actions/add/":                     (302, 200, 403, 200, 404, 404, 403),
    "/clinics/PC-9001/actions/1/":                       (302, 200, 403, 200, 404, 404, 403),
    "/clinics/PC-9001/actions/99/":                      (302, 404, 403, 404, 404, 404, 403),
    "/clinics/PC-9001/outcome/":                         (302, 200, 403, 200, 404, 404, 403),
    "/clinics/PC-9001/publish/":                         (302, 405, 405, 405, 405, 405, 405),
    # Progress updates: action owners and the indicators' data owners, and the team.
    "/clinics/PC-9001/updates/new/":                     (302, 200, 200, 403, 404, 404, 403),
    # Documents follow the clinic; minutes exist once it is held.
    "/clinics/PC-9001/pack/":                            (302, 200, 200, 200, 404, 404, 200),
    "/clinics/PC-9001/pack.docx":                        (302, 200, 200, 200, 404, 404, 200),
    "/clinics/PC-9001/pack.xls":                         (302, 404, 404, 404, 404, 404, 404),
    "/clinics/PC-9001/minutes/":                         (302, 200, 200, 200, 404, 404, 200),
    "/clinics/PC-9001/minutes.html":                     (302, 200, 200, 200, 404, 404, 200),
    "/clinics/PC-9003/minutes/":                         (302, 404, 404, 404, 404, 404, 404),
    "/clinics/PC-9002/pack/":                            (302, 200, 200, 200, 200, 200, 200),
    # Published outcomes of scrutiny's challenge events are public; nothing else is.
    "/challenge-events/":                                (200, 200, 200, 200, 200, 200, 200),
    "/challenge-events/PC-9002/":                        (200, 200, 200, 200, 200, 200, 200),
    "/challenge-events/PC-9001/":                        (404, 404, 404, 404, 404, 404, 404),
    "/challenge-events/PC-9003/":                        (404, 404, 404, 404, 404, 404, 404),
}
# fmt: on


def arrange(world) -> None:
    managerial = helpers.managerial(world, reference="PC-9001")
    helpers.with_action(world, helpers.held(world, helpers.scheduled(world, managerial)))

    planned = helpers.planned_challenge(world, reference="PC-9002")
    helpers.held(world, helpers.scheduled(world, planned, chair=world.ed))
    services.record_outcome(
        planned,
        services.OutcomeChoice(
            ClinicOutcome.REFERRED_TO_CABINET,
            "Recycling has been red for two quarters.",
            cabinet_recommendations="Fund a garden waste relaunch.",
        ),
        by=world.alice,
    )
    services.publish(planned, by=world.alice)

    ad_hoc = services.request_clinic(
        services.ClinicRequest(
            kind=ClinicKind.AD_HOC_CHALLENGE,
            title="Rent collection",
            reason="Outside the target band after a managerial clinic.",
            indicators=[world.rent],
        ),
        by=world.charlie,
    )
    ad_hoc.reference = "PC-9003"
    ad_hoc.save()
