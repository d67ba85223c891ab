from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

WEEKDAYS = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]


class BusinessHoursBlock(blocks.StructBlock):
    """Opening hours of the service team on one or more weekdays."""

    days = blocks.MultipleChoiceBlock(
        label=_("days"), choices=WEEKDAYS, widget=forms.CheckboxSelectMultiple
    )
    opens = blocks.TimeBlock(label=_("opens"))
    closes = blocks.TimeBlock(label=_("closes"))

    class Meta:
        icon = "time"
        label = _("Opening hours")

    def clean(self, value):
        value = super().clean(value)
        if value["opens"] and value["closes"] and value["opens"] >= value["closes"]:
            error = forms.ValidationError(_("Closing time must be after opening time."))
            raise blocks.StructBlockValidationError(block_errors={"closes": error})
        return value

    @staticmethod
    def covers(value, moment) -> bool:
        return (
            str(moment.weekday()) in value["days"]
            and value["opens"] <= moment.time() < value["closes"]
        )
