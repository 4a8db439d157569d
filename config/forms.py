"""Form helpers shared by the apps."""

from decimal import Decimal


class HundredthsFieldsMixin:
    """Form fields typed in units people use (euros, percent) for model fields stored in
    hundredths (cents, basis points). `hundredths_fields` maps a form field to the model
    attribute it sets; an optional field left empty stores 0."""

    hundredths_fields: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for form_field, attribute in self.hundredths_fields.items():
            stored = getattr(self.instance, attribute)
            if stored is not None:
                self.initial.setdefault(form_field, Decimal(stored) / 100)

    def clean(self):
        cleaned = super().clean()
        for form_field, attribute in self.hundredths_fields.items():
            typed = cleaned.get(form_field)
            if typed is None and self.fields[form_field].required:
                continue  # the field's own error says what is wrong
            setattr(self.instance, attribute, int((typed or 0) * 100))
        return cleaned
