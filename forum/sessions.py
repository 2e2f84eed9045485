"""Django's database sessions, with the read every signed-in request starts with compiled
once (forum/compiled_queries.py).

Django builds that query anew on every request: its filter, its compiler and its
SQL, several times the CPU the database takes to find one row by its key. Here
the SQL is kept, with the session's key its only parameter; whether the session
has expired is then asked of this process's clock, as Django asks it (a kept
query may hold no moment). Everything else (saving, expiry, `clearsessions`) is
Django's.
"""

from django.contrib.sessions.backends import db
from django.utils import timezone

from forum.compiled_queries import compiled_rows


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        """The live session with this key, or None (and then no key), as Django's own."""
        rows = compiled_rows(
            "session",
            lambda session_key: self.model.objects.filter(session_key=session_key),
            key=(),
            session_key=self.session_key,
        )
        if not rows or rows[0].expire_date <= timezone.now():
            self._session_key = None
            return None
        return rows[0]
