# The care app's records change only through its audited workflows (services.py): no admin pages.
