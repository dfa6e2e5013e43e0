/*
 * docts_ext.h - docts's own optional interfaces (not Windows SDK names).
 *
 * IDoctsTestClock, IID {F745BF47-44C2-4EC7-B160-80DF33411140}, is the test
 * clock of DESIGN.md ("Threads, time and state").  An implementation MAY
 * answer QueryInterface for it on its manager objects (the objects created
 * through CLSID_BackgroundCopyManager* and CLSID_DeliveryOptimization);
 * every timer of that implementation (retry delays, no-progress timeouts,
 * maximum download time, callback intervals, job times) then reads this
 * one clock.  The conformance runner uses it to make timed cases fast;
 * without it they run in real time (--slow) or are reported skipped.
 *
 * Slots (after IUnknown):
 *   3 GetSpeedFactor(double *factor)  - E_POINTER for NULL.
 *   4 SetSpeedFactor(double factor)   - time runs `factor` times faster
 *                                       than real time; factor >= 1 (and
 *                                       finite), else E_INVALIDARG.
 *   5 Advance(UINT64 milliseconds)    - jumps the clock forward at once;
 *                                       timers that fall due fire.
 *   6 GetNow(FILETIME *now)           - the clock's current time (UTC);
 *                                       E_POINTER for NULL.
 * The clock never runs backwards.  All methods are free-threaded.
 */
#ifndef DOCOM_DOCTS_EXT_H
#define DOCOM_DOCTS_EXT_H

#include "docom.h"

#ifndef __IDoctsTestClock_FWD_DEFINED__
#define __IDoctsTestClock_FWD_DEFINED__
typedef struct IDoctsTestClock IDoctsTestClock;
#endif

/* BEGIN GENERATED IDoctsTestClock */
/* clang-format off */
#ifndef __IDoctsTestClock_INTERFACE_DEFINED__
#define __IDoctsTestClock_INTERFACE_DEFINED__
EXTERN_C const IID IID_IDoctsTestClock;
typedef struct IDoctsTestClockVtbl {
    BEGIN_INTERFACE
    /* IUnknown */
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(IDoctsTestClock *This,
        REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IDoctsTestClock *This);
    ULONG(STDMETHODCALLTYPE *Release)(IDoctsTestClock *This);
    /* IDoctsTestClock */
    HRESULT(STDMETHODCALLTYPE *GetSpeedFactor)(IDoctsTestClock *This,
        double *factor);
    HRESULT(STDMETHODCALLTYPE *SetSpeedFactor)(IDoctsTestClock *This,
        double factor);
    HRESULT(STDMETHODCALLTYPE *Advance)(IDoctsTestClock *This,
        UINT64 milliseconds);
    HRESULT(STDMETHODCALLTYPE *GetNow)(IDoctsTestClock *This, FILETIME *now);
    END_INTERFACE
} IDoctsTestClockVtbl;
struct IDoctsTestClock {
    CONST_VTBL IDoctsTestClockVtbl *lpVtbl;
};
DOCOM_STATIC_ASSERT(sizeof(IDoctsTestClockVtbl) == 7 * sizeof(void *),
                    "IDoctsTestClock has 7 slots");
#ifdef COBJMACROS
#define IDoctsTestClock_QueryInterface(This, riid, ppvObject)                  \
    (This)->lpVtbl->QueryInterface(This, riid, ppvObject)
#define IDoctsTestClock_AddRef(This) (This)->lpVtbl->AddRef(This)
#define IDoctsTestClock_Release(This) (This)->lpVtbl->Release(This)
#define IDoctsTestClock_GetSpeedFactor(This, factor)                           \
    (This)->lpVtbl->GetSpeedFactor(This, factor)
#define IDoctsTestClock_SetSpeedFactor(This, factor)                           \
    (This)->lpVtbl->SetSpeedFactor(This, factor)
#define IDoctsTestClock_Advance(This, milliseconds)                            \
    (This)->lpVtbl->Advance(This, milliseconds)
#define IDoctsTestClock_GetNow(This, now) (This)->lpVtbl->GetNow(This, now)
#endif
#endif
/* clang-format on */
/* END GENERATED IDoctsTestClock */

#endif /* DOCOM_DOCTS_EXT_H */
