from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel


class HousingOrganisation(TimeStampedModel):
    """Boligorganisation: the landlord that owns the estates and sends the move-in lists."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    # Retention, set by the organisation's data-protection officer (apps.privacy applies it every night).
    retention_contact_months = models.PositiveSmallIntegerField(
        _("keep newcomers' contact data (months after move-in)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    retention_visit_months = models.PositiveSmallIntegerField(
        _("keep visit details (months after move-in)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("housing organisation")
        verbose_name_plural = _("housing organisations")

    def __str__(self) -> str:
        return self.name


class Area(TimeStampedModel):
    """Boligområde under a helhedsplan: where a programme runs; may group estates of several organisations."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    description = models.TextField(_("description"), blank=True)
    # The programme's last day here: meeting series plan nothing after it and invite nobody from then on.
    closed_on = models.DateField(
        _("closed on"),
        null=True,
        blank=True,
        help_text=_("The programme's last day in the area; no network meetings are planned after it."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return self.name


class Estate(TimeStampedModel):
    """Afdeling: one estate of a housing organisation, with its own tenant board."""

    organisation = models.ForeignKey(
        HousingOrganisation, on_delete=models.PROTECT, related_name="estates", verbose_name=_("housing organisation")
    )
    area = models.ForeignKey(
        Area, on_delete=models.SET_NULL, null=True, blank=True, related_name="estates", verbose_name=_("area")
    )
    number = models.CharField(_("estate number"), max_length=20)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["organisation__name", "number"]
        verbose_name = _("estate")
        verbose_name_plural = _("estates")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="estate_unique_number_per_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class Entrance(TimeStampedModel):
    """Opgang: one street address (stairwell) of an estate; the natural unit of 'neighbour'."""

    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, related_name="entrances", verbose_name=_("estate"))
    street = models.CharField(_("street"), max_length=200)
    house_number = models.CharField(_("house number"), max_length=20)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)

    class Meta:
        ordering = ["street", "house_number"]
        verbose_name = _("entrance")
        verbose_name_plural = _("entrances")
        constraints = [
            models.UniqueConstraint(
                fields=["estate", "street", "house_number"], name="entrance_unique_address_per_estate"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.street} {self.house_number}"


class Tenancy(TimeStampedModel):
    """Lejemål: one dwelling, known by its lejemålsnummer within the estate."""

    # The estate is also reachable through the entrance; it is kept here because the tenancy number
    # is unique per estate (a constraint needs the column) and dashboards group tenancies by estate.
    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, related_name="tenancies", verbose_name=_("estate"))
    entrance = models.ForeignKey(
        Entrance, on_delete=models.PROTECT, related_name="tenancies", verbose_name=_("entrance")
    )
    number = models.CharField(_("tenancy number"), max_length=40)
    floor = models.CharField(_("floor"), max_length=10, blank=True)
    door = models.CharField(_("door"), max_length=10, blank=True)

    class Meta:
        ordering = ["entrance__street", "entrance__house_number", "floor", "door"]
        verbose_name = _("tenancy")
        verbose_name_plural = _("tenancies")
        constraints = [
            models.UniqueConstraint(fields=["estate", "number"], name="tenancy_unique_number_per_estate"),
        ]

    def __str__(self) -> str:
        return self.address

    @property
    def unit(self) -> str:
        """Floor and door as written on a Danish letterbox, e.g. 'st. tv.' or '2. 3'."""
        # Floor numbers and the abbreviations (st, kl, tv, th, mf) take a full stop; door numbers do not.
        floor = f"{self.floor}." if self.floor.isdigit() or self.floor.lower() in {"st", "kl"} else self.floor
        door = f"{self.door}." if self.door.lower() in {"tv", "th", "mf"} else self.door
        return " ".join(part for part in (floor, door) if part)

    @property
    def address(self) -> str:
        street = f"{self.entrance.street} {self.entrance.house_number}"
        return f"{street}, {self.unit}" if self.unit else street
