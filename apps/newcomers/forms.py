from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.newcomers.importing.fields import REQUIRED_FIELDS, Field
from apps.organisation.models import Area, Estate, HousingOrganisation


class ImportUploadForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Housing organisation"),
        queryset=HousingOrganisation.objects.none(),
        help_text=gettext_lazy("The organisation that sent the list."),
        error_messages={
            "invalid_choice": gettext_lazy("Choose a housing organisation that has estates in this area."),
        },
    )
    file = forms.FileField(label=gettext_lazy("File"), widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}))

    def __init__(self, *args, area: Area, offer_import_again: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if offer_import_again or self.data.get("import_again"):
            # Offered once the file turned out to be one already imported: importing it again is a choice.
            self.fields["import_again"] = forms.BooleanField(
                label=gettext_lazy("Import it again"),
                help_text=gettext_lazy("Only if you are sure: the same lines are read once more."),
                required=False,
            )
        # Only the organisations with an estate in the area: the import reads and writes only the area's
        # estates, so a list of any other organisation has nothing here to go to. A posted id outside
        # this queryset is a form error, and nothing is stored.
        in_area = Exists(Estate.objects.filter(area=area, organisation=OuterRef("pk")))
        organisations = HousingOrganisation.objects.filter(in_area)
        self.fields["organisation"].queryset = organisations
        # Most areas have estates of one organisation only: nothing to choose, so it is chosen.
        only = list(organisations[:2])
        if len(only) == 1:
            self.fields["organisation"].initial = only[0].pk
            self.fields["organisation"].empty_label = None
        self.max_bytes = settings.TENANT_IMPORT_MAX_BYTES
        self.fields["file"].help_text = _("A CSV file or an Excel workbook (.xlsx), at most %(size)s.") % {
            "size": filesizeformat(self.max_bytes)
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Checked before the file is read into memory; the importer checks the same limit again.
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                _("The file is larger than %(size)s. Split it into smaller files.")
                % {"size": filesizeformat(self.max_bytes)}
            )
        return upload


class ImportMappingForm(forms.Form):
    """One choice per column of the file (CPR columns have none: they are never imported)."""

    create_estates = forms.BooleanField(
        label=gettext_lazy("Create estates that do not exist yet"),
        help_text=gettext_lazy("From the estate number and name in the file; new estates are placed in this area."),
        required=False,
    )

    def __init__(self, *args, headers: list[str], mapping: dict[int, str], dropped: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Do not import")), *Field.choices]
        self.columns: list[tuple[int, str, forms.BoundField | None]] = []
        for index, header in enumerate(headers):
            label = header or _("Column %(number)d") % {"number": index + 1}
            if index in dropped:
                self.columns.append((index, label, None))
                continue
            name = f"column_{index}"
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=False,
                initial=mapping.get(index, ""),
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.columns.append((index, label, self[name]))
        # The checkbox last, after the columns.
        self.order_fields([*(f"column_{i}" for i, _label, field in self.columns if field), "create_estates"])

    def clean(self) -> dict:
        data = super().clean()
        chosen = {value for name, value in data.items() if name.startswith("column_")}
        missing = {
            Field.TENANCY_NUMBER: _("Choose the column that holds the tenancy number."),
            Field.MOVE_IN_DATE: _("Choose the column that holds the move-in date."),
        }
        for field in REQUIRED_FIELDS:
            if field not in chosen:
                self.add_error(None, missing[field])
        return data

    def mapping(self) -> dict[int, str]:
        """The chosen mapping, {column index: field}, without the columns left out."""
        return {
            int(name.removeprefix("column_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("column_") and value
        }
