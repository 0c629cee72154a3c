from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "apps.visits"
    verbose_name = _("Ambassadors and welcome visits")

    def ready(self) -> None:
        from apps.newcomers.hooks import move_in_corrected_register
        from apps.visits.models import Ambassador
        from apps.visits.services import visits_move_in_follow

        post_delete.connect(_ambassador_deleted, sender=Ambassador, dispatch_uid="visits.ambassador_photo")
        # A later move-in list corrected a newcomer's move-in date: the visit's copy and due date follow.
        move_in_corrected_register(visits_move_in_follow)


def _ambassador_deleted(sender, instance, **kwargs) -> None:
    # A profile deleted on its own or with its user or area (a cascade, which no service sees): the photo
    # file goes too, once the deletion is committed.
    from apps.core.images import stored_file_delete_on_commit

    stored_file_delete_on_commit(instance.photo)
