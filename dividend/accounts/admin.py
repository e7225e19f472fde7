from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice

# Authenticator secrets are nobody else's to read, and removing one is an audited workflow
# (`manage.py reset_second_factor`): django-otp's admin page for them is taken away.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
