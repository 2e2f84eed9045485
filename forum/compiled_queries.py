"""Queries run on every page of comments and every post, their SQL compiled once.

Django builds and compiles a query's SQL anew each time it runs: for a query
with subqueries or joins over translated tables, one to several milliseconds
of CPU, often ten times what the database takes to answer it. A query that
is the same on every request but for a few values (the reader, the question,
the comment replied to, the thread keys of a page's blocks, the rows a post
locks) is compiled once per database with stand-ins for them (negative ids,
and text no column holds), and run with the real values put in its
parameters; Django's own code then reads the rows (select_related,
annotations, field converters), as for any queryset.

`compiled_rows` keeps them by a name and a key, which must hold everything
else the SQL depends on (for the reading rules, `consultations.rules.reader_roles`);
the tests that compare what every kind of reader gets through them with what
the ORM builds for them (tests/consultations/test_compiled_pages.py,
test_reply_lookup.py) fail when the key misses something.

A kept visitor page reads its consultation with SQL of its own, compiled once
per connection and run on a bare cursor (consultations/page_cache.py): there
every tenth of a millisecond is a share of the page.
"""

import copy
import datetime
import threading
from collections import OrderedDict
from collections.abc import Callable

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Model, QuerySet


class CompiledQuery:
    """`queryset`'s SQL, compiled once on database `alias`, run for other values.

    `stand_ins` names the stand-ins (ids, or text) the queryset was built with;
    `rows()` takes the real value for each name. A queryset whose SQL holds a
    stand-in anywhere else than in its parameters is refused.
    """

    def __init__(self, queryset: QuerySet, alias: str, *, stand_ins: dict[str, int | str]):
        self.model = queryset.model
        self.alias = alias
        # How the rows come back: instances, values() dicts, values_list() tuples...
        self.iterable_class = queryset._iterable_class
        self.fields = queryset._fields
        self.compiler = queryset.query.get_compiler(using=alias)
        try:
            self.sql, params = self.compiler.as_sql()
        except EmptyResultSet:
            self.sql, params = None, ()
        self.params = list(params)
        self.slots = {
            name: [index for index, value in enumerate(self.params) if value == stand_in]
            for name, stand_in in stand_ins.items()
        }
        if self.sql is not None and any(
            str(stand_in) in self.sql for stand_in in stand_ins.values()
        ):  # pragma: no cover - a change in Django
            raise RuntimeError("A stand-in id is written into the compiled SQL itself.")

    def may_be_kept(self) -> bool:
        """Whether this SQL holds for other ids. Not when it holds a moment (a reading
        rule that asks the clock: kept, it would stop the clock), nor when Django found
        without asking the database that nothing matches (a number out of its
        column's range, say: only the real values can tell)."""
        if self.sql is None:
            return not self.slots
        stand_in_slots = {index for indexes in self.slots.values() for index in indexes}
        return not any(
            isinstance(value, datetime.date | datetime.time | datetime.timedelta)
            for index, value in enumerate(self.params)
            if index not in stand_in_slots
        )

    def _in_range_of_ids(self, connection, value: int) -> bool:
        low, high = connection.ops.integer_field_range(self.model._meta.pk.get_internal_type())
        return (low is None or low <= value) and (high is None or value <= high)

    def rows(self, **ids) -> list:
        """The rows for these values, as the queryset built for them would give them."""
        if self.sql is None:
            return []
        connection = connections[self.alias]
        params = list(self.params)
        for name, value in ids.items():
            if isinstance(value, int) and not self._in_range_of_ids(connection, value):
                return []  # as the ORM finds nothing for an id beyond the column's range
            for index in self.slots[name]:
                params[index] = value
        compiler = copy.copy(self.compiler)
        compiler.connection = connection
        compiler.as_sql = lambda *args, **kwargs: (self.sql, params)
        query = copy.copy(self.compiler.query)
        query.get_compiler = lambda *args, **kwargs: compiler
        queryset = QuerySet(model=self.model, query=query, using=self.alias)
        queryset._iterable_class = self.iterable_class
        queryset._fields = self.fields
        return list(queryset)


# Stand-ins no row has: negative ids, and strings no column holds.
_STAND_IN_ID = -1_234_500_000
_STAND_IN_TEXT = "roundtable-stand-in-"
_MOST_SHAPES = 512
_compiled_shapes: OrderedDict[tuple, CompiledQuery] = OrderedDict()
_compiled_shapes_lock = threading.Lock()
_models_of: dict[str, type[Model]] = {}
_NOT_YET = object()


def _stand_ins_for(name: str, value, number: int):
    """(the stand-in passed to the query's builder, {slot: stand-in}, {slot: real value})
    for one value: a model instance stands in as a copy with another id (its other
    attributes kept: a reader's roles), an id or text as itself, a list item by item."""
    if isinstance(value, list | tuple):
        stand_in, slots, real = [], {}, {}
        for index, item in enumerate(value):
            item_stand_in, item_slots, item_real = _stand_ins_for(
                f"{name}.{index}", item, number + index
            )
            stand_in.append(item_stand_in)
            slots |= item_slots
            real |= item_real
        return stand_in, slots, real
    if hasattr(value, "pk"):  # a model instance, or a visitor (AnonymousUser)
        if value.pk is None:
            return value, {}, {}
        stand_in = copy.copy(value)
        stand_in.pk = _STAND_IN_ID - number
        return stand_in, {name: stand_in.pk}, {name: value.pk}
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"{name}: only ids, text, model instances and lists of them stand in")
    stand_in = _STAND_IN_ID - number if isinstance(value, int) else f"{_STAND_IN_TEXT}{number}"
    return stand_in, {name: stand_in}, {name: value}


def padded(values: list) -> list:
    """`values` as long as the next power of two, the last repeated: as an `IN` list the
    same rows, and a handful of shapes to compile rather than one for every length."""
    if not values:
        return values
    return [*values, *[values[-1]] * ((1 << (len(values) - 1).bit_length()) - len(values))]


def compiled_rows(
    name: str, build: Callable[..., QuerySet], *, key: tuple, for_writing=False, **values
) -> list:
    """The rows of `build(**values)`, from its SQL compiled once per database and `key`.

    `build` is called with stand-ins for `values` (ids, text, model instances by
    their id, lists of them) and its SQL kept for the next call with the same
    `name`, `key` and list lengths. `key` must hold everything but `values` that the
    SQL depends on (the reader's roles, an order, a language, a slice): a value may
    only be a parameter of the query, never decide what the query is. Integers
    stand in as negative numbers: only ids may be passed as values, other numbers
    (a question's number, say) belong in `key`. With `for_writing`, the query runs
    on the database writes go to (a read that locks its rows).
    """
    stand_ins, slots, real, shape = {}, {}, {}, []
    for value_name, value in values.items():
        stand_ins[value_name], value_slots, value_real = _stand_ins_for(
            value_name, value, len(slots)
        )
        slots |= value_slots
        real |= value_real
        shape.append(len(value) if isinstance(value, list | tuple) else None)
    queryset = None
    model = _models_of.get(name)
    if model is None:
        queryset = build(**stand_ins)
        model = _models_of[name] = queryset.model
    alias = router.db_for_write(model) if for_writing else router.db_for_read(model)
    compiled_key = (name, key, tuple(shape), alias)
    with _compiled_shapes_lock:
        compiled = _compiled_shapes.get(compiled_key, _NOT_YET)
        if compiled is not _NOT_YET:
            _compiled_shapes.move_to_end(compiled_key)
    if compiled is _NOT_YET:
        if queryset is None:
            queryset = build(**stand_ins)
        compiled = CompiledQuery(queryset, alias, stand_ins=slots)
        # Built again, a query that asks the clock (or anything else that moves) differs:
        # on SQLite a moment is text by now, so `may_be_kept` cannot see it.
        again = CompiledQuery(build(**stand_ins), alias, stand_ins=slots)
        if not compiled.may_be_kept() or (again.sql, again.params) != (
            compiled.sql,
            compiled.params,
        ):
            compiled = None
        with _compiled_shapes_lock:
            _compiled_shapes[compiled_key] = compiled
            while len(_compiled_shapes) > _MOST_SHAPES:
                _compiled_shapes.popitem(last=False)
    if compiled is None:
        return list(build(**values))
    return compiled.rows(**real)
