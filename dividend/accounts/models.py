"""The sessions each user has open, so that "log out everywhere" can end them all.

Django's session table does not say whose a session is (the user id sits inside the encoded data);
one row per sign-in names the session key.
"""

from django.conf import settings
from django.db import models


class SignIn(models.Model):
    """One signed-in session: written at login, deleted when the user logs out everywhere."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_ins")
    session_key = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField()
    ip_address = models.CharField(max_length=45, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.user} since {self.started_at:%Y-%m-%d %H:%M}"
