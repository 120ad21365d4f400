"""WTForms validators with messages from our catalog (WTForms has no Vietnamese)."""
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField
from wtforms.validators import DataRequired, Length, NumberRange


def required() -> DataRequired:
    return DataRequired(message=_l("This field is required."))


def max_length(n: int) -> Length:
    return Length(max=n, message=_l("At most %(max)d characters.", max=n))


def non_negative(maximum: int | None = None) -> NumberRange:
    if maximum is None:
        return NumberRange(min=0, message=_l("Must not be negative."))
    return NumberRange(min=0, max=maximum, message=_l(
        "Must be a whole number from 0 to %(max)s.", max=f"{maximum:,}".replace(",", ".")))


class WholeNumberField(IntegerField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(_l("Enter a whole number.")) from exc
