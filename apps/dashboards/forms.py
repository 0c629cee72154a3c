import re
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.dashboards.periods import (
    Period,
    board_default_period,
    board_period_choices,
    last_twelve_months,
    period_choices,
    period_from_key,
)
from apps.organisation.models import Area, Estate

_MONTH = re.compile(r"^\d{4}-\d{2}$")


class MonthInput(forms.TextInput):
    input_type = "month"


class PeriodForm(forms.Form):
    """The period of a dashboard (GET). Nothing chosen means the last 12 months."""

    period = forms.ChoiceField(label=gettext_lazy("Period"), required=False)
    from_month = forms.CharField(label=gettext_lazy("From month"), required=False, widget=MonthInput)
    to_month = forms.CharField(label=gettext_lazy("To month"), required=False, widget=MonthInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        self.fields["period"].choices = period_choices(today=self.today)

    def clean(self) -> dict:
        data = super().clean()
        key = data.get("period") or "last12"
        if key == "custom":
            start, end = data.get("from_month", ""), data.get("to_month", "")
            if not (_MONTH.match(start) and _MONTH.match(end)):
                raise ValidationError(_("Choose the first and the last month."))
            key = f"{start}:{end}"
        period = period_from_key(key, today=self.today)
        if period is None:
            raise ValidationError(
                _("Choose a period of whole months, at most five years long, whose last month is not before its first.")
            )
        data["period_value"] = period
        return data

    @property
    def chosen(self) -> Period:
        if self.is_valid():
            return self.cleaned_data["period_value"]
        return last_twelve_months(self.today)

    @property
    def menu(self) -> list[tuple[str | None, list[tuple[str, str]]]]:
        """The period menu as (optgroup label or None, options) for the template."""
        return [
            (None, [(value, label)]) if isinstance(label, str) else (value, label)
            for value, label in self.fields["period"].choices
        ]

    @property
    def menu_value(self) -> str:
        key = self.chosen.key
        return "custom" if ":" in key else key

    def query(self, period: Period, **extra) -> str:
        """The query string that shows `period` (for links that keep the filter)."""
        if period.key.count(":"):
            params = {"period": "custom", "from_month": f"{period.start:%Y-%m}", "to_month": f"{period.end:%Y-%m}"}
        else:
            params = {"period": period.key}
        return urlencode({**params, **{k: v for k, v in extra.items() if v not in (None, "")}})


class BoardPeriodForm(PeriodForm):
    """A board's period (GET): a calendar year, nothing else (see periods.py). Any other key — an old
    bookmark, a hand-typed query — is an error, and the page shows this year instead."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["from_month"], self.fields["to_month"]
        self.fields["period"].choices = board_period_choices(today=self.today)

    def clean(self) -> dict:
        data = super(PeriodForm, self).clean()
        key = data.get("period") or str(self.today.year)
        data["period_value"] = period_from_key(key, today=self.today)
        return data

    @property
    def chosen(self) -> Period:
        if self.is_valid():
            return self.cleaned_data["period_value"]
        return board_default_period(today=self.today)


class AreaDashboardForm(PeriodForm):
    """The coordinator's filter: the period and optionally one estate of the area."""

    estate = forms.ModelChoiceField(
        label=gettext_lazy("Estate"),
        queryset=Estate.objects.none(),
        required=False,
        empty_label=gettext_lazy("The whole area"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, area: Area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["estate"].queryset = area.estates.order_by("number")
        self.order_fields(["estate", "period", "from_month", "to_month"])


class ReportRequestForm(forms.Form):
    year = forms.TypedChoiceField(
        label=gettext_lazy("Year"), coerce=int, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, str(y)) for y in range(this_year, this_year - 6, -1)]
        self.fields["year"].initial = this_year - 1
