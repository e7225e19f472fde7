"""British English as a police service writes it: Django's en_GB formats with a 24-hour clock
(Django's own say "6:30 p.m."). The other languages keep Django's formats (settings.FORMAT_MODULE_PATH)."""

DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
