/*
 * The cases both BITS enumerators share (spec interfaces.md 4.2 and 5.7,
 * behavior.md 12, decisions R22), written once for IEnumBackgroundCopyJobs
 * and IEnumBackgroundCopyFiles.  The including file defines:
 *   ENUM_T / ELEM_T       the enumerator and element interface types
 *   ENUM_(m)              the call macro prefix, e.g.
 * IEnumBackgroundCopyJobs_##m make_enum(fx, n, &e)  a fixture with n elements
 * and an enumerator elem_key(elem, buf)   a text identifying the element (for
 * comparing) and gets static functions enum_* for its CU_TestInfo table.
 */

#define EKEY 128

/* Counts, Next with every celt, the S_FALSE rules and NULL arguments. */
static void enum_next(enum mode mode)
{
    struct fx fx;
    ENUM_T *e = NULL;
    ELEM_T *el[8];
    ULONG got;
    if (fx_open(&fx, mode) || make_enum(&fx, 3, &e))
        goto out;
    ULONG n = POISON_U32;
    ASSERT_HR(S_OK, ENUM_(GetCount)(e, &n));
    ASSERT_U64(3, n);
    ASSERT_HR(E_INVALIDARG, ENUM_(GetCount)(e, NULL));

    /* celt 0: nothing, S_OK. */
    got = POISON_U32;
    ASSERT_HR(S_OK, ENUM_(Next)(e, 0, el, &got));
    ASSERT_U64(0, got);
    /* NULL pceltFetched only with celt 1 (R22: celt 0 too is refused). */
    ASSERT_HR(E_INVALIDARG, ENUM_(Next)(e, 0, el, NULL));
    el[0] = POISON_PTR;
    ASSERT_HR(E_INVALIDARG, ENUM_(Next)(e, 2, el, NULL));
    el[0] = POISON_PTR;
    ASSERT_HR(E_INVALIDARG, ENUM_(Next)(e, 1, NULL, &got));
    el[0] = POISON_PTR;
    ASSERT_HR(S_OK, ENUM_(Next)(e, 1, el, NULL));
    ASSERT_NONNULL(el[0]);
    if (el[0] && el[0] != POISON_PTR)
        release(el[0]);
    /* Two of the remaining two: S_OK. */
    got = POISON_U32;
    el[0] = el[1] = POISON_PTR;
    ASSERT_HR(S_OK, ENUM_(Next)(e, 2, el, &got));
    ASSERT_U64(2, got);
    for (ULONG i = 0; i < 2 && i < got; i++)
        release(el[i]);
    /* At the end: S_FALSE with 0. */
    got = POISON_U32;
    ASSERT_HR(S_FALSE, ENUM_(Next)(e, 1, el, &got));
    ASSERT_U64(0, got);
    ASSERT_HR(S_FALSE, ENUM_(Next)(e, 1, el, NULL));
    /* Fewer than asked: S_FALSE with the number delivered. */
    ASSERT_HR(S_OK, ENUM_(Reset)(e));
    ASSERT_HR(S_OK, ENUM_(Skip)(e, 1));
    got = POISON_U32;
    for (int i = 0; i < 8; i++)
        el[i] = POISON_PTR;
    ASSERT_HR(S_FALSE, ENUM_(Next)(e, 5, el, &got));
    ASSERT_U64(2, got);
    for (ULONG i = 0; i < 2 && i < got; i++) {
        ASSERT_NONNULL(el[i]);
        release(el[i]);
    }
out:
    if (e)
        ASSERT_U64(0, release(e));
    fx_close(&fx);
}
BOTH_MODES(enum_next)

/* Skip and Reset. */
static void enum_skip_reset(enum mode mode)
{
    struct fx fx;
    ENUM_T *e = NULL;
    ELEM_T *el[4];
    ULONG got;
    if (fx_open(&fx, mode) || make_enum(&fx, 3, &e))
        goto out;
    ASSERT_HR(S_OK, ENUM_(Skip)(e, 0));
    ASSERT_HR(S_OK, ENUM_(Skip)(e, 3));
    ASSERT_HR(S_FALSE, ENUM_(Skip)(e, 1));
    ASSERT_HR(S_OK, ENUM_(Reset)(e));
    ASSERT_HR(S_OK, ENUM_(Skip)(e, 2));
    got = POISON_U32;
    ASSERT_HR(S_OK, ENUM_(Next)(e, 1, el, &got));
    ASSERT_U64(1, got);
    if (got == 1)
        release(el[0]);
    ASSERT_HR(S_OK, ENUM_(Reset)(e));
    ASSERT_HR(S_FALSE, ENUM_(Skip)(e, 100));
    /* Position clamps at the end. */
    got = POISON_U32;
    ASSERT_HR(S_FALSE, ENUM_(Next)(e, 1, el, &got));
    ASSERT_U64(0, got);
    ASSERT_HR(S_OK, ENUM_(Reset)(e));
    got = POISON_U32;
    ASSERT_HR(S_OK, ENUM_(Next)(e, 3, el, &got));
    ASSERT_U64(3, got);
    for (ULONG i = 0; i < 3 && i < got; i++)
        release(el[i]);
out:
    if (e)
        ASSERT_U64(0, release(e));
    fx_close(&fx);
}
BOTH_MODES(enum_skip_reset)

/* Clone copies the position; the two then move independently. */
static void enum_clone(enum mode mode)
{
    struct fx fx;
    ENUM_T *e = NULL, *c = POISON_PTR;
    ELEM_T *a, *b;
    char ka[EKEY], kb[EKEY];
    if (fx_open(&fx, mode) || make_enum(&fx, 3, &e))
        goto out;
    ASSERT_HR(S_OK, ENUM_(Skip)(e, 1));
    ASSERT_HR(E_INVALIDARG, ENUM_(Clone)(e, NULL));
    ASSERT_HR(S_OK, ENUM_(Clone)(e, &c));
    ASSERT_NONNULL(c);
    if (!c || c == POISON_PTR) {
        c = NULL;
        goto out;
    }
    ULONG n = POISON_U32;
    ASSERT_HR(S_OK, ENUM_(GetCount)(c, &n));
    ASSERT_U64(3, n);
    ASSERT_HR(S_OK, ENUM_(Next)(e, 1, &a, NULL));
    ASSERT_HR(S_OK, ENUM_(Next)(c, 1, &b, NULL));
    elem_key(a, ka);
    elem_key(b, kb);
    t_check(!strcmp(ka, kb), __LINE__, __FILE__,
            "clone at the same position: %s vs %s", ka, kb);
    release(a);
    release(b);
    /* Moving the clone does not move the original. */
    ASSERT_HR(S_OK, ENUM_(Skip)(c, 1));
    ASSERT_HR(S_FALSE, ENUM_(Skip)(c, 1));
    ASSERT_HR(S_OK, ENUM_(Skip)(e, 1));
out:
    if (c && c != POISON_PTR)
        ASSERT_U64(0, release(c));
    if (e)
        ASSERT_U64(0, release(e));
    fx_close(&fx);
}
BOTH_MODES(enum_clone)

/* Returned elements are AddRef'd; the enumerator's count is its own. */
static void enum_refcounts(enum mode mode)
{
    struct fx fx;
    ENUM_T *e = NULL;
    ELEM_T *a = POISON_PTR;
    if (fx_open(&fx, mode) || make_enum(&fx, 1, &e))
        goto out;
    ASSERT_U64(2, ENUM_(AddRef)(e));
    ASSERT_U64(1, ENUM_(Release)(e));
    ASSERT_HR(S_OK, ENUM_(Next)(e, 1, &a, NULL));
    if (a && a != POISON_PTR) {
        ULONG before = refcount(a);
        ASSERT_TRUE(before >= 1);
        ASSERT_U64(before + 1, IUnknown_AddRef((IUnknown *)a));
        ASSERT_U64(before, IUnknown_Release((IUnknown *)a));
        release(a);
    }
out:
    if (e)
        ASSERT_U64(0, release(e));
    fx_close(&fx);
}
BOTH_MODES(enum_refcounts)

#define ENUM_CASES                                                             \
    BOTH_INFO(enum_next), BOTH_INFO(enum_skip_reset), BOTH_INFO(enum_clone),   \
        BOTH_INFO(enum_refcounts)
