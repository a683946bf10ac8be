/* Optional C hot path of BusinessCalendar.add and BusinessCalendar.between.
 *
 * It answers only the common case, exactly as the pure-Python methods in calendar.py do
 * (same float operations in the same order, so the same results): exact datetime and
 * timedelta types, whole seconds, a tzinfo that is UTC or whose local date is in
 * zones.DAY_BASES, an instant inside the calendar's index. Every other call is handed,
 * arguments unchanged, to the pure-Python method, which stays the reference. Nothing
 * here calls back into Python on the fast path, so the index snapshot it reads cannot
 * change under it.
 *
 * Built by setup.py as an optional extension; calendar.use_accelerator() installs it.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <datetime.h>

#define LAYOUT 1 /* the shape of BusinessCalendar._fast this file reads */

static PyObject *py_add;       /* the pure-Python BusinessCalendar.add */
static PyObject *py_between;   /* the pure-Python BusinessCalendar.between */
static PyObject *day_bases;    /* zones.DAY_BASES */
static PyTypeObject *zone_type; /* zoneinfo.ZoneInfo */
static PyTypeObject *fixed_type; /* datetime.timezone */
static PyObject *str_fast;     /* "_fast" */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static long long
days_from_civil(long long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

static void
civil_from_days(long long z, int *y, int *m, int *d)
{
    z += 719468;
    const long long era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* UTC seconds of an aware datetime as the Python fast path computes them; 0 when this
 * datetime is not for the C path (the caller then hands the call to Python). */
static int
seconds_of(PyObject *dt, double *out)
{
    if (!PyDateTime_CheckExact(dt) || PyDateTime_DATE_GET_MICROSECOND(dt)) {
        return 0;
    }
    int y = PyDateTime_GET_YEAR(dt), m = PyDateTime_GET_MONTH(dt), d = PyDateTime_GET_DAY(dt);
    long long wall = (long long)PyDateTime_DATE_GET_HOUR(dt) * 3600
                     + PyDateTime_DATE_GET_MINUTE(dt) * 60 + PyDateTime_DATE_GET_SECOND(dt);
    long long days = days_from_civil(y, (unsigned)m, (unsigned)d);
    PyObject *tz = PyDateTime_DATE_GET_TZINFO(dt);
    if (tz == PyDateTime_TimeZone_UTC) {
        /* timestamp(): whole seconds, exact in a double */
        *out = (double)(days * 86400 + wall);
        return 1;
    }
    if (Py_TYPE(tz) != zone_type && Py_TYPE(tz) != fixed_type) {
        return 0; /* only these hash and compare without running Python code */
    }
    PyObject *bases = PyDict_GetItemWithError(day_bases, tz);
    if (bases == NULL || !PyDict_CheckExact(bases)) {
        PyErr_Clear();
        return 0;
    }
    PyObject *key = PyLong_FromLongLong(days + 719163); /* date.toordinal() */
    if (key == NULL) {
        PyErr_Clear();
        return 0;
    }
    PyObject *base = PyDict_GetItemWithError(bases, key);
    Py_DECREF(key);
    if (base == NULL || !PyFloat_CheckExact(base)) {
        PyErr_Clear();
        return 0;
    }
    /* Python: base + (hour * 3600 + minute * 60 + second) */
    *out = PyFloat_AS_DOUBLE(base) + (double)wall;
    return 1;
}

/* The index snapshot: (lo, hi, starts, off, cumend), floats and lists of floats. */
typedef struct {
    double lo, hi;
    PyObject *starts, *off, *cumend;
    Py_ssize_t n;
} Index;

static int
read_index(PyObject *fast, Index *ix)
{
    if (!PyTuple_CheckExact(fast) || PyTuple_GET_SIZE(fast) != 5) {
        return 0;
    }
    PyObject *lo = PyTuple_GET_ITEM(fast, 0), *hi = PyTuple_GET_ITEM(fast, 1);
    ix->starts = PyTuple_GET_ITEM(fast, 2);
    ix->off = PyTuple_GET_ITEM(fast, 3);
    ix->cumend = PyTuple_GET_ITEM(fast, 4);
    if (!PyFloat_CheckExact(lo) || !PyFloat_CheckExact(hi) || !PyList_CheckExact(ix->starts)
        || !PyList_CheckExact(ix->off) || !PyList_CheckExact(ix->cumend)) {
        return 0;
    }
    ix->n = PyList_GET_SIZE(ix->starts);
    if (ix->n == 0 || PyList_GET_SIZE(ix->off) != ix->n || PyList_GET_SIZE(ix->cumend) != ix->n) {
        return 0;
    }
    ix->lo = PyFloat_AS_DOUBLE(lo);
    ix->hi = PyFloat_AS_DOUBLE(hi);
    return 1;
}

/* Item k of a list of floats; when it is not a float, *ok is cleared and the caller hands
 * the call to Python (the index holds only floats, so this is a guard, never the rule). */
static inline double
item(PyObject *list, Py_ssize_t k, int *ok)
{
    PyObject *v = PyList_GET_ITEM(list, k);
    if (!PyFloat_CheckExact(v)) {
        *ok = 0;
        return 0.0;
    }
    return PyFloat_AS_DOUBLE(v);
}

/* bisect.bisect_right(list, x) */
static Py_ssize_t
bisect_right(PyObject *list, Py_ssize_t n, double x, int *ok)
{
    Py_ssize_t lo = 0, hi = n;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (x < item(list, mid, ok)) {
            hi = mid;
        }
        else {
            lo = mid + 1;
        }
    }
    return lo;
}

/* bisect.bisect_left(list, x) */
static Py_ssize_t
bisect_left(PyObject *list, Py_ssize_t n, double x, int *ok)
{
    Py_ssize_t lo = 0, hi = n;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (item(list, mid, ok) < x) {
            lo = mid + 1;
        }
        else {
            hi = mid;
        }
    }
    return lo;
}

/* datetime.fromtimestamp(t, UTC) for whole seconds t */
static PyObject *
utc_datetime(double t)
{
    long long s = (long long)t;
    long long days = (s >= 0 ? s : s - 86399) / 86400;
    long long rest = s - days * 86400;
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    return PyDateTimeAPI->DateTime_FromDateAndTime(y, m, d, (int)(rest / 3600),
                                                   (int)(rest % 3600 / 60), (int)(rest % 60), 0,
                                                   PyDateTime_TimeZone_UTC,
                                                   PyDateTimeAPI->DateTimeType);
}

/* Hand the call, unchanged, to the pure-Python method. */
static PyObject *
fallback(PyObject *method, PyObject *self, PyObject *const *args, Py_ssize_t nargs,
         PyObject *kwnames)
{
    Py_ssize_t total = nargs + (kwnames ? PyTuple_GET_SIZE(kwnames) : 0);
    PyObject *stack[8];
    if (total + 1 > 8) {
        PyObject *bound = PyMethod_New(method, self);
        if (bound == NULL) {
            return NULL;
        }
        PyObject *result = PyObject_Vectorcall(bound, args, (size_t)nargs, kwnames);
        Py_DECREF(bound);
        return result;
    }
    stack[0] = self;
    for (Py_ssize_t k = 0; k < total; k++) {
        stack[k + 1] = args[k];
    }
    return PyObject_Vectorcall(method, stack, (size_t)(nargs + 1), kwnames);
}

static PyObject *
fast_of(PyObject *self, Index *ix)
{
    PyObject *fast = PyObject_GetAttr(self, str_fast);
    if (fast == NULL) {
        PyErr_Clear();
        return NULL;
    }
    if (!read_index(fast, ix)) {
        Py_DECREF(fast);
        return NULL;
    }
    return fast;
}

static PyObject *
accel_add(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    if (nargs != 2 || kwnames != NULL) {
        return fallback(py_add, self, args, nargs, kwnames);
    }
    PyObject *start = args[0], *duration = args[1];
    double t;
    if (!PyDelta_CheckExact(duration) || PyDateTime_DELTA_GET_MICROSECONDS(duration)
        || !seconds_of(start, &t)) {
        return fallback(py_add, self, args, nargs, kwnames);
    }
    /* Python: d = duration.days * _DAY + duration.seconds (then float arithmetic) */
    double d = (double)((long long)PyDateTime_DELTA_GET_DAYS(duration) * 86400
                        + PyDateTime_DELTA_GET_SECONDS(duration));
    Index ix;
    PyObject *fast = fast_of(self, &ix);
    if (fast == NULL) {
        return fallback(py_add, self, args, nargs, kwnames);
    }
    int ok = 1;
    PyObject *result = NULL;
    Py_ssize_t i = bisect_right(ix.starts, ix.n, t, &ok) - 1;
    if (!ok || i < 0 || t >= ix.hi || d <= 0) {
        goto slow; /* outside the index, or not forward: Python grows it or goes exact */
    }
    double c = t - item(ix.off, i, &ok);
    double end = item(ix.cumend, i, &ok);
    double target;
    if (c < end) {
        if (c + d <= end) {
            if (!ok) {
                goto slow;
            }
            result = utc_datetime(t + d);
            Py_DECREF(fast);
            return result;
        }
        target = c + d;
    }
    else {
        target = end + d;
    }
    if (!ok || target > item(ix.cumend, ix.n - 1, &ok) || !ok) {
        goto slow; /* past the end of the index: Python extends it */
    }
    Py_ssize_t j = bisect_left(ix.cumend, ix.n, target, &ok);
    double at = item(ix.off, j, &ok) + target;
    if (!ok) {
        goto slow;
    }
    result = utc_datetime(at);
    Py_DECREF(fast);
    return result;
slow:
    Py_DECREF(fast);
    return fallback(py_add, self, args, nargs, kwnames);
}

static PyObject *
accel_between(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    if (nargs != 2 || kwnames != NULL) {
        return fallback(py_between, self, args, nargs, kwnames);
    }
    double ta, tb;
    if (!seconds_of(args[0], &ta) || !seconds_of(args[1], &tb)) {
        return fallback(py_between, self, args, nargs, kwnames);
    }
    Index ix;
    PyObject *fast = fast_of(self, &ix);
    if (fast == NULL) {
        return fallback(py_between, self, args, nargs, kwnames);
    }
    if (!(ix.lo <= ta && ta < ix.hi && ix.lo <= tb && tb < ix.hi)) {
        Py_DECREF(fast);
        return fallback(py_between, self, args, nargs, kwnames); /* Python covers them */
    }
    int ok = 1;
    Py_ssize_t i = bisect_right(ix.starts, ix.n, ta, &ok) - 1;
    if (!ok || i < 0) {
        Py_DECREF(fast);
        return fallback(py_between, self, args, nargs, kwnames);
    }
    double ca = ta - item(ix.off, i, &ok);
    double e = item(ix.cumend, i, &ok);
    if (ca > e) {
        ca = e;
    }
    i = bisect_right(ix.starts, ix.n, tb, &ok) - 1;
    if (!ok || i < 0) {
        Py_DECREF(fast);
        return fallback(py_between, self, args, nargs, kwnames);
    }
    double cb = tb - item(ix.off, i, &ok);
    e = item(ix.cumend, i, &ok);
    if (cb > e) {
        cb = e;
    }
    Py_DECREF(fast);
    if (!ok) {
        return fallback(py_between, self, args, nargs, kwnames);
    }
    /* Python: _SECOND * int(cb - ca) */
    long long s = (long long)(cb - ca);
    long long days = (s >= 0 ? s : s - 86399) / 86400;
    return PyDateTimeAPI->Delta_FromDelta((int)days, (int)(s - days * 86400), 0, 1,
                                          PyDateTimeAPI->DeltaType);
}

static PyMethodDef add_def = {
    "add", (PyCFunction)(void (*)(void))accel_add, METH_FASTCALL | METH_KEYWORDS,
    "add(start, duration): see the pure-Python BusinessCalendar.add (C hot path)."};
static PyMethodDef between_def = {
    "between", (PyCFunction)(void (*)(void))accel_between, METH_FASTCALL | METH_KEYWORDS,
    "between(a, b): see the pure-Python BusinessCalendar.between (C hot path)."};

static PyObject *
methods(PyObject *module, PyObject *args)
{
    (void)module;
    PyObject *cls, *add, *between, *bases, *ztype, *ftype;
    if (!PyArg_ParseTuple(args, "O!OOO!O!O!:methods", &PyType_Type, &cls, &add, &between,
                          &PyDict_Type, &bases, &PyType_Type, &ztype, &PyType_Type, &ftype)) {
        return NULL;
    }
    PyObject *add_descr = PyDescr_NewMethod((PyTypeObject *)cls, &add_def);
    if (add_descr == NULL) {
        return NULL;
    }
    PyObject *between_descr = PyDescr_NewMethod((PyTypeObject *)cls, &between_def);
    if (between_descr == NULL) {
        Py_DECREF(add_descr);
        return NULL;
    }
    Py_INCREF(add);
    Py_XSETREF(py_add, add);
    Py_INCREF(between);
    Py_XSETREF(py_between, between);
    Py_INCREF(bases);
    Py_XSETREF(day_bases, bases);
    Py_INCREF(ztype);
    Py_XSETREF(zone_type, (PyTypeObject *)ztype);
    Py_INCREF(ftype);
    Py_XSETREF(fixed_type, (PyTypeObject *)ftype);
    return Py_BuildValue("(NN)", add_descr, between_descr);
}

static PyMethodDef module_methods[] = {
    {"methods", methods, METH_VARARGS,
     "methods(cls, py_add, py_between, day_bases, ZoneInfo, timezone) -> (add, between):\n"
     "method descriptors for cls that answer the common case in C and hand the rest to\n"
     "py_add / py_between."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "caredesk.core._calendar_accel",
    "Optional C hot path of BusinessCalendar.add and between.", -1, module_methods};

PyMODINIT_FUNC
PyInit__calendar_accel(void)
{
    PyDateTime_IMPORT;
    if (PyDateTimeAPI == NULL) {
        return NULL;
    }
    str_fast = PyUnicode_InternFromString("_fast");
    if (str_fast == NULL) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&module_def);
    if (m == NULL) {
        return NULL;
    }
    if (PyModule_AddIntConstant(m, "LAYOUT", LAYOUT) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
