from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.bidi import direction
from apps.folders.services import PICTURE_MAX_BYTES
from apps.visits.models import LANGUAGE_CHOICES


class SectionTextForm(forms.Form):
    title = forms.CharField(label=_("Heading"), max_length=200)
    markdown = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Markdown: **bold**, *italic*, “- ” for a list, “### ” for a small heading, | for a table."),
    )

    def __init__(self, *args, language: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The inputs take the text's language and direction (Arabic is typed right to left); the labels
        # stay in the page's language.
        for field in self.fields.values():
            field.widget.attrs.update({"lang": language, "dir": direction(language)})


class SectionAddForm(forms.Form):
    title = forms.CharField(label=_("Heading of the new section (Danish)"), max_length=200)


class LanguageAddForm(forms.Form):
    language = forms.ChoiceField(label=_("Add a language"))

    def __init__(self, *args, present: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [(code, name) for code, name in LANGUAGE_CHOICES if code not in present]


class PictureForm(forms.Form):
    image = forms.FileField(
        label=_("Picture"),
        help_text=_("JPEG, PNG or WebP, at most 8 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)

    def clean_image(self):
        image = self.cleaned_data["image"]
        if image.size > PICTURE_MAX_BYTES:
            raise forms.ValidationError(_("The picture is larger than 8 MB. Choose a smaller picture."))
        return image
