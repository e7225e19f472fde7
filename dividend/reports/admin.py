# Field reports and information requirements change only through reports.services (audited): no
# admin pages for them. Reference data for the reports (the theme vocabulary) is the reference app's.
