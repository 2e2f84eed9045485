"""Checks shared by the view tests."""


def rendered_page(response, *, marker: str) -> str:
    """The page's HTML, once it is proved to have rendered: status 200 and a known marker.

    A negative check ("X is not on the page") passes on an error page too;
    run it on what this returns.
    """
    assert response.status_code == 200, f"the page did not render: {response.status_code}"
    html = response.content.decode()
    assert marker in html, f"the page rendered without {marker!r}"
    return html
