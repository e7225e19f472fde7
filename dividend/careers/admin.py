# Careers records change only through careers.services (audited): no admin pages for them.
