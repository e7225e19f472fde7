from .context import audit_context


class RequestContextMiddleware:
    """Tags audit entries written during a request with its channel, client address and path."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = "api" if request.path.startswith("/api/") else "web"
        with audit_context(channel=channel, ip_address=request.META.get("REMOTE_ADDR", ""), path=request.path):
            return self.get_response(request)
