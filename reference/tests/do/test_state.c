/*
 * test_state.c - the IDODownload state machine (spec behavior.md §9.2):
 * the transition table of the reference against this file's own copy of
 * the spec's table, and the method x state rules that need no server
 * (Created, Aborted).  The states that need transfers are in test_net.c
 * (api_matrix).
 */
#include "do_test.h"

static const struct {
    DODownloadState from, to;
} spec_rows[] = {
    {DODownloadState_Created, DODownloadState_Transferring},
    {DODownloadState_Created, DODownloadState_Aborted},
    {DODownloadState_Transferring, DODownloadState_Transferred},
    {DODownloadState_Transferring, DODownloadState_Paused},
    {DODownloadState_Transferring, DODownloadState_Aborted},
    {DODownloadState_Paused, DODownloadState_Transferring},
    {DODownloadState_Paused, DODownloadState_Aborted},
    {DODownloadState_Transferred, DODownloadState_Transferring},
    {DODownloadState_Transferred, DODownloadState_Finalized},
    {DODownloadState_Transferred, DODownloadState_Aborted},
};

static void transition_table(void)
{
    size_t n, want = sizeof spec_rows / sizeof spec_rows[0];
    const struct do_transition *t = do_transitions(&n);
    DT_EQ_INT(n, want);
    for (size_t i = 0; i < want; i++) {
        int found = 0;
        for (size_t k = 0; k < n; k++)
            found += t[k].from == spec_rows[i].from &&
                     t[k].to == spec_rows[i].to && t[k].why && *t[k].why;
        if (found != 1)
            fprintf(stderr, "\n  row %s -> %s found %d times\n",
                    do_state_name(spec_rows[i].from),
                    do_state_name(spec_rows[i].to), found);
        DT_EQ_INT(found, 1);
    }
    /* nothing leaves a final state */
    for (size_t k = 0; k < n; k++) {
        CU_ASSERT(t[k].from != DODownloadState_Finalized);
        CU_ASSERT(t[k].from != DODownloadState_Aborted);
    }
}

static void created_rules(void)
{
    IDOManager *m = dt_manager();
    IDODownload *d = dt_create(m);
    DO_DOWNLOAD_STATUS s = dt_status(d); /* DL-01 */
    DT_EQ_STATE(s.State, DODownloadState_Created);
    DT_EQ_INT(s.BytesTransferred, 0);
    DT_EQ_INT(s.BytesTotal, 0);
    DT_EQ_HR(s.Error, S_OK);
    DT_EQ_HR(s.ExtendedError, S_OK);
    DT_EQ_HR(IDODownload_Pause(d), S_OK); /* no-op */
    DT_EQ_STATE(dt_status(d).State, DODownloadState_Created);
    DT_EQ_HR(IDODownload_Finalize(d), DO_E_INVALID_STATE); /* DL-11 */
    DT_EQ_STATE(dt_status(d).State, DODownloadState_Created);
    DT_EQ_HR(IDODownload_Abort(d), S_OK); /* DL-07 */
    DT_EQ_STATE(dt_status(d).State, DODownloadState_Aborted);
    IDODownload_Release(d);
    IDOManager_Release(m);
}

static void aborted_rules(void)
{
    IDOManager *m = dt_manager();
    IDODownload *d = dt_create(m);
    VARIANT v;
    dt_setup(d, "x.bin", "aborted.bin");
    DT_EQ_HR(IDODownload_Abort(d), S_OK);
    DT_EQ_HR(IDODownload_Abort(d), S_OK); /* no-op */
    DT_EQ_HR(IDODownload_Start(d, NULL), DO_E_INVALID_STATE);
    DT_EQ_HR(IDODownload_Pause(d), DO_E_INVALID_STATE);
    DT_EQ_HR(IDODownload_Finalize(d), DO_E_INVALID_STATE);
    DT_EQ_HR(dt_set_str(d, DODownloadProperty_DisplayName, u"n"),
             DO_E_INVALID_STATE);
    /* getters keep working */
    DT_EQ_HR(IDODownload_GetProperty(d, DODownloadProperty_Uri, &v), S_OK);
    VariantClear(&v);
    DT_EQ_STATE(dt_status(d).State, DODownloadState_Aborted);
    IDODownload_Release(d);
    IDOManager_Release(m);
}

static void release_keeps_download(void)
{
    IDOManager *m = dt_manager();
    IDODownload *d = dt_create(m);
    DO_DOWNLOAD_ENUM_CATEGORY cat;
    IEnumUnknown *e = NULL;
    VARIANT id;
    DT_EQ_HR(IDODownload_GetProperty(d, DODownloadProperty_Id, &id), S_OK);
    IDODownload_Release(d); /* the service keeps it */
    cat.Property = DODownloadProperty_Id;
    cat.Value = id.bstrVal;
    DT_EQ_HR(IDOManager_EnumDownloads(m, &cat, &e), S_OK);
    if (e) {
        IUnknown *u = NULL;
        ULONG got = 0;
        DT_EQ_HR(IEnumUnknown_Next(e, 1, &u, &got), S_OK);
        DT_EQ_INT(got, 1);
        if (u) {
            DT_EQ_HR(IUnknown_QueryInterface(u, &IID_IDODownload, (void **)&d),
                     S_OK);
            DT_EQ_HR(IDODownload_Abort(d), S_OK);
            IDODownload_Release(d);
            IUnknown_Release(u);
        }
        IEnumUnknown_Release(e);
    }
    DT_EQ_HR(IDOManager_EnumDownloads(m, &cat, &e), DO_E_NO_DOWNLOADS);
    CU_ASSERT_PTR_NULL(e);
    VariantClear(&id);
    IDOManager_Release(m);
}

CU_TestInfo dt_state_tests[] = {
    {"transition_table", transition_table},
    {"created", created_rules},
    {"aborted", aborted_rules},
    {"release_keeps_download", release_keeps_download},
    CU_TEST_INFO_NULL,
};
