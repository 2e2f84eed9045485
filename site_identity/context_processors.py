from site_identity.models import cached_identity


def site_identity(request):
    """The host's identity for every page's header, footer and meta tags (one cache lookup)."""
    return {"site_identity": cached_identity()}
