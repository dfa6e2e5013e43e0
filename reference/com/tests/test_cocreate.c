/*
 * test_cocreate.c - CoInitialize(Ex)/CoUninitialize, CoGetClassObject and
 * CoCreateInstance against the fake in-process server
 * (fake/fake_server.c), and each documented failure.
 */
#include <dlfcn.h>
#include <stdlib.h>

#include "com_test.h"
#include "bits.h"
#include "deliveryoptimization.h"

static long live_objects(void)
{
    void *h = dlopen(COM_FAKE_SERVER, RTLD_NOW | RTLD_NOLOAD);
    void *sym = h ? dlsym(h, "fake_server_live_objects") : NULL;
    long (*fn)(void);
    long n;

    if (!sym) {
        if (h)
            dlclose(h);
        return -1;
    }
    *(void **)&fn = sym;
    n = fn();
    dlclose(h);
    return n;
}

static void test_not_initialized(void)
{
    IUnknown *u = POISON_PTR;

    setenv("DOCOM_SERVER", COM_FAKE_SERVER, 1);
    ASSERT_HR(CO_E_NOTINITIALIZED,
              CoCreateInstance(&CLSID_BackgroundCopyManager, NULL,
                               CLSCTX_LOCAL_SERVER, &IID_IUnknown,
                               (void **)&u));
    CU_ASSERT_PTR_NULL(u);
}

static void test_init_counting(void)
{
    ASSERT_HR(S_OK, CoInitializeEx(NULL, COINIT_MULTITHREADED));
    ASSERT_HR(S_FALSE, CoInitialize(NULL));
    CoUninitialize();
    CoUninitialize();
    CoUninitialize(); /* extra call ignored */
    ASSERT_HR(S_OK, CoInitialize(NULL));
    CoUninitialize();
}

static void test_create_instance(void)
{
    IUnknown *u = POISON_PTR;

    setenv("DOCOM_SERVER", COM_FAKE_SERVER, 1);
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    ASSERT_HR(S_OK, CoCreateInstance(&CLSID_BackgroundCopyManager, NULL,
                                     CLSCTX_LOCAL_SERVER, &IID_IUnknown,
                                     (void **)&u));
    CU_ASSERT_PTR_NOT_NULL_FATAL(u);
    ASSERT_EQ(1, live_objects());
    ASSERT_EQ(0, u->lpVtbl->Release(u));
    ASSERT_EQ(0, live_objects());
    CoUninitialize();
}

static void test_create_failures(void)
{
    IUnknown *outer = (IUnknown *)POISON_PTR;
    void *p = POISON_PTR;

    setenv("DOCOM_SERVER", COM_FAKE_SERVER, 1);
    CoInitialize(NULL);
    ASSERT_HR(E_NOINTERFACE,
              CoCreateInstance(&CLSID_BackgroundCopyManager, NULL, CLSCTX_ALL,
                               &IID_IBackgroundCopyManager, &p));
    CU_ASSERT_PTR_NULL(p);
    ASSERT_EQ(0, live_objects());
    p = POISON_PTR;
    /* the server does not serve it (CLASS_E_CLASSNOTAVAILABLE): C12 */
    ASSERT_HR(REGDB_E_CLASSNOTREG,
              CoCreateInstance(&CLSID_DeliveryOptimization, NULL, CLSCTX_ALL,
                               &IID_IUnknown, &p));
    CU_ASSERT_PTR_NULL(p);
    p = POISON_PTR;
    ASSERT_HR(CLASS_E_NOAGGREGATION,
              CoCreateInstance(&CLSID_BackgroundCopyManager, outer, CLSCTX_ALL,
                               &IID_IUnknown, &p));
    CU_ASSERT_PTR_NULL(p);
    ASSERT_HR(E_INVALIDARG, CoCreateInstance(&CLSID_BackgroundCopyManager, NULL,
                                             CLSCTX_ALL, &IID_IUnknown, NULL));
    ASSERT_HR(E_INVALIDARG,
              CoCreateInstance(NULL, NULL, CLSCTX_ALL, &IID_IUnknown, &p));
    CoUninitialize();
}

static void test_class_object(void)
{
    IClassFactory *cf = POISON_PTR;
    IUnknown *u = NULL;

    setenv("DOCOM_SERVER", COM_FAKE_SERVER, 1);
    CoInitialize(NULL);
    ASSERT_HR(S_OK, CoGetClassObject(&CLSID_BackgroundCopyManager,
                                     CLSCTX_INPROC_SERVER, NULL,
                                     &IID_IClassFactory, (void **)&cf));
    CU_ASSERT_PTR_NOT_NULL_FATAL(cf);
    ASSERT_HR(S_OK,
              cf->lpVtbl->CreateInstance(cf, NULL, &IID_IUnknown, (void **)&u));
    ASSERT_EQ(0, u->lpVtbl->Release(u));
    cf->lpVtbl->Release(cf);
    CoUninitialize();
}

static void test_server_problems(void)
{
    void *p = POISON_PTR;

    CoInitialize(NULL);
    setenv("DOCOM_SERVER", "/nonexistent/libnothing.so", 1);
    ASSERT_HR(CO_E_DLLNOTFOUND,
              CoCreateInstance(&CLSID_BackgroundCopyManager, NULL, CLSCTX_ALL,
                               &IID_IUnknown, &p));
    CU_ASSERT_PTR_NULL(p);
    p = POISON_PTR;
    setenv("DOCOM_SERVER", "libdocom.so", 1); /* has no DllGetClassObject */
    ASSERT_HR(CO_E_ERRORINDLL,
              CoCreateInstance(&CLSID_BackgroundCopyManager, NULL, CLSCTX_ALL,
                               &IID_IUnknown, &p));
    CU_ASSERT_PTR_NULL(p);
    unsetenv("DOCOM_SERVER");
    CoUninitialize();
}

CU_TestInfo cocreate_tests[] = {
    {"CoCreateInstance before CoInitialize", test_not_initialized},
    {"CoInitialize(Ex) counting", test_init_counting},
    {"CoCreateInstance through the fake server", test_create_instance},
    {"CoCreateInstance failures", test_create_failures},
    {"CoGetClassObject", test_class_object},
    {"missing server, server without entry point", test_server_problems},
    CU_TEST_INFO_NULL,
};
