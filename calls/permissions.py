"""Who may do what with a call and its applications. Pure predicates: views and
templates use these."""

from advisors.permissions import adviser_is_current

from .models import Application, ApplicationStatus, Call, JuryAssignment


def is_staff(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff


def can_view_call(user, call: Call) -> bool:
    """Published calls are public; unpublished ones only for staff."""
    return call.is_published or is_staff(user)


def can_apply(user, call: Call) -> bool:
    """A signed-in member may start or edit an application while the call is open (the
    call's own rules are checked when they submit, and said then)."""
    return user.is_authenticated and call.is_open()


def is_applicant(user, application: Application) -> bool:
    return user.is_authenticated and application.applicant_id == user.pk


def can_read_applications(user) -> bool:
    """Staff who may read every application (the model's view permission)."""
    return is_staff(user) and user.has_perm("calls.view_application")


def can_view_application(user, application: Application) -> bool:
    return is_applicant(user, application) or can_read_applications(user)


def can_edit_application(user, application: Application) -> bool:
    """Drafts only, by their applicant, until the deadline."""
    return (
        is_applicant(user, application)
        and application.status == ApplicationStatus.DRAFT
        and application.call.is_open()
    )


def can_move_applications(user) -> bool:
    """Staff who may move applications between stages (the model's change permission)."""
    return is_staff(user) and user.has_perm("calls.change_application")


def is_juror(user, assignment: JuryAssignment) -> bool:
    """The assignment's adviser, still a current adviser and still on the call's jury."""
    adviser = assignment.adviser
    return (
        user.is_authenticated
        and adviser.user_id == user.pk
        and adviser_is_current(adviser)
        and assignment.application.call.jury.filter(pk=adviser.pk).exists()
    )
