/*
 * do_network.c - the simulated network the DO downloads run on
 * (docs/do-api.md "Simulated network", decisions DO-9).
 *
 * Owns two values: the network's cost state (one BITS_COST_STATE_* bit, as
 * Windows reports it to BITS) and whether it is cellular.  They are the
 * environment's DOREF_NETWORK_COST (the same variable the BITS scheduler
 * reads for COST_FLAGS, decisions I8; e.g. 0x40 = USAGE_BASED) and
 * DOREF_NETWORK_CELLULAR=1, read at every call, unless a test set them with
 * do_network_set() (until do_network_reset()).  A download's CostPolicy is
 * turned into the BITS_COST_STATE_TRANSFER_* mask of the same meaning; the
 * download may transfer while the network's state has a bit in that mask.
 */
#include "do_private.h"

#include <stdlib.h>

static pthread_mutex_t n_lock = PTHREAD_MUTEX_INITIALIZER;
static int n_forced; /* do_network_set() was called */
static DWORD n_cost;
static int n_cell;

DWORD do_network_cost(void)
{
    const char *c;
    DWORD v = BITS_COST_STATE_UNRESTRICTED;
    pthread_mutex_lock(&n_lock);
    if (n_forced)
        v = n_cost;
    else if ((c = getenv("DOREF_NETWORK_COST")) && *c)
        v = (DWORD)strtoul(c, NULL, 0);
    pthread_mutex_unlock(&n_lock);
    return v;
}

int do_network_cellular(void)
{
    const char *m;
    int v = 0;
    pthread_mutex_lock(&n_lock);
    if (n_forced)
        v = n_cell;
    else if ((m = getenv("DOREF_NETWORK_CELLULAR")) && *m)
        v = atoi(m) != 0;
    pthread_mutex_unlock(&n_lock);
    return v;
}

void do_network_set(DWORD cost_state, int cellular)
{
    pthread_mutex_lock(&n_lock);
    n_forced = 1;
    n_cost = cost_state;
    n_cell = cellular != 0;
    pthread_mutex_unlock(&n_lock);
    do_service_kick();
}

void do_network_reset(void)
{
    pthread_mutex_lock(&n_lock);
    n_forced = 0;
    pthread_mutex_unlock(&n_lock);
    do_service_kick();
}

DWORD do_cost_policy_mask(ULONG policy)
{
    switch (policy) {
    case DODownloadCostPolicy_Always:
    case DODownloadCostPolicy_NoCellular: /* cellular checked apart */
        return BITS_COST_STATE_TRANSFER_ALWAYS;
    case DODownloadCostPolicy_Unrestricted:
        return BITS_COST_STATE_TRANSFER_UNRESTRICTED;
    case DODownloadCostPolicy_Standard:
        return BITS_COST_STATE_TRANSFER_STANDARD;
    case DODownloadCostPolicy_NoRoaming:
        return BITS_COST_STATE_TRANSFER_NOT_ROAMING;
    case DODownloadCostPolicy_NoSurcharge:
        return BITS_COST_STATE_TRANSFER_NO_SURCHARGE;
    default:
        return 0;
    }
}
