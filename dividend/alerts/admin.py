# Alerts change only through their workflows (alerts.services, audited): no admin pages.
