"""The sealed record of a consultation: written when it closes, checked, downloaded.

- `pages`: its pages rendered as an anonymous visitor sees them, made to open offline;
- `writer`: the files, the manifest of their SHA-256 digests, written through storage;
- `verification`: every file checked against the manifest, the manifest against the
  digest recorded in `ConsultationArchive`;
- `download`: the folder as a streamed ZIP.

The service that decides when to write one is `consultations.services.archives`.
"""
