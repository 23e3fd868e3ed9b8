// net-snmp's agent library driven from one thread: AgentX subagent set-up, the switch's
// tables as table_tdata behind the cache helper, and the library's own select loop with a
// wake descriptor. Only the agent thread calls these functions.

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_callbacks.h>
#include <net-snmp/library/large_fd_set.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cnetsnmp.h"

// The AgentX subagent's session and the steps the library itself takes when it loses its
// master (agentx/subagent.c, agentx/client.c): exported by libnetsnmpagent, not declared
// in its installed headers. Closing and reopening the session with them is how the switch
// follows `no snmp-server enable agentx` and a new socket without initialising the library
// twice, which it does not support.
extern netsnmp_session *main_session;
int subagent_open_master_session(void);
void agentx_unregister_callbacks(netsnmp_session *session);
int agentx_close_session(netsnmp_session *session, int why);
void agentx_check_session(unsigned int clientreg, void *clientarg);
#define CNETSNMP_AGENTX_CLOSE_SHUTDOWN 5

struct value {
    uint32_t column;
    u_char type;
    size_t length;
    u_char *bytes;
};

struct cnetsnmp_row {
    netsnmp_tdata_row *tdata;
    struct value *values;
    size_t count, capacity;
};

struct cnetsnmp_table {
    int id;
    netsnmp_tdata *tdata;           // NULL for a scalar group
    struct value *scalars;          // scalar group: one per subid, lowest first
    uint32_t lowest, highest;
};

static cnetsnmp_load_fn loader;
static cnetsnmp_log_fn logger;
static int initialised;
static int connect_pending_first = 1;
static int ping_interval;
static int served;
// While init_snmp runs: it parses the MIB files it finds for names the switch never uses
// (it serves numeric OIDs, and Debian ships few MIBs), and says so for every one missing.
static int starting;

static void set_value(struct value *v, uint32_t column, uint8_t type, const void *value, size_t length) {
    free(v->bytes);
    v->column = column;
    v->type = type;
    // Counter64 travels from Swift as a 64-bit integer; the library wants its struct.
    if (type == ASN_COUNTER64 && length == sizeof(uint64_t)) {
        uint64_t n;
        memcpy(&n, value, sizeof n);
        struct counter64 c = { .high = (u_long)(n >> 32), .low = (u_long)(n & 0xffffffffu) };
        v->bytes = malloc(sizeof c);
        if (v->bytes) memcpy(v->bytes, &c, sizeof c);
        v->length = sizeof c;
        return;
    }
    v->bytes = malloc(length ? length : 1);
    if (v->bytes && length) memcpy(v->bytes, value, length);
    v->length = length;
}

static void free_row_values(struct cnetsnmp_row *row) {
    if (!row) return;
    for (size_t i = 0; i < row->count; i++) free(row->values[i].bytes);
    free(row->values);
    free(row);
}

// Answers GET for one table's rows: the table and tdata helpers above it have found the
// row (GETNEXT included) and the column.
static int table_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reginfo,
                         netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests) {
    (void)handler;
    (void)reginfo;
    if (reqinfo->mode != MODE_GET) return SNMP_ERR_NOERROR;
    for (netsnmp_request_info *request = requests; request; request = request->next) {
        if (request->processed) continue;
        struct cnetsnmp_row *row = netsnmp_tdata_extract_entry(request);
        netsnmp_table_request_info *info = netsnmp_extract_table_info(request);
        struct value *found = NULL;
        if (row && info) {
            for (size_t i = 0; i < row->count; i++) {
                if (row->values[i].column == info->colnum) found = &row->values[i];
            }
        }
        if (!found) {
            netsnmp_set_request_error(reqinfo, request, SNMP_NOSUCHINSTANCE);
            continue;
        }
        snmp_set_var_typed_value(request->requestvb, found->type, found->bytes, found->length);
        served++;
    }
    return SNMP_ERR_NOERROR;
}

static int scalar_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reginfo,
                          netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests) {
    struct cnetsnmp_table *table = handler->myvoid;
    if (reqinfo->mode != MODE_GET) return SNMP_ERR_NOERROR;
    for (netsnmp_request_info *request = requests; request; request = request->next) {
        if (request->processed) continue;
        netsnmp_variable_list *vb = request->requestvb;
        struct value *found = NULL;
        // The scalar helper has checked the instance and registered it: oid.N.0.
        oid subid = reginfo->rootoid_len >= 2 ? reginfo->rootoid[reginfo->rootoid_len - 2] : 0;
        if (subid >= table->lowest && subid <= table->highest && table->scalars[subid - table->lowest].bytes)
            found = &table->scalars[subid - table->lowest];
        if (!found) {
            netsnmp_set_request_error(reqinfo, request, SNMP_NOSUCHOBJECT);
            continue;
        }
        snmp_set_var_typed_value(vb, found->type, found->bytes, found->length);
        served++;
    }
    return SNMP_ERR_NOERROR;
}

static int cache_load(netsnmp_cache *cache, void *magic) {
    (void)cache;
    struct cnetsnmp_table *table = magic;
    if (loader) loader(table->id, table);
    return 0;
}

static void cache_free(netsnmp_cache *cache, void *magic) {
    (void)cache;
    struct cnetsnmp_table *table = magic;
    if (table->tdata) {
        netsnmp_tdata_row *row;
        while ((row = netsnmp_tdata_row_first(table->tdata)) != NULL) {
            struct cnetsnmp_row *values = row->data;
            netsnmp_tdata_remove_and_delete_row(table->tdata, row);
            if (values) values->tdata = NULL;
            free_row_values(values);
        }
    } else {
        for (uint32_t i = 0; i <= table->highest - table->lowest; i++) {
            free(table->scalars[i].bytes);
            table->scalars[i].bytes = NULL;
        }
    }
}

static int log_callback(int major, int minor, void *serverarg, void *clientarg) {
    (void)major;
    (void)minor;
    (void)clientarg;
    struct snmp_log_message *message = serverarg;
    if (logger && message && message->msg && !starting) logger(message->priority, message->msg);
    return 0;
}

int cnetsnmp_init(const char *socket, int ping_seconds, cnetsnmp_load_fn load, cnetsnmp_log_fn log) {
    if (initialised) return -1;
    initialised = 1;
    loader = load;
    logger = log;
    ping_interval = ping_seconds;
    // The library's messages go to the switch's event log, never to its console.
    snmp_disable_stderrlog();
    snmp_enable_calllog();
    snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING, log_callback, NULL);
    netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 1);
    netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET, socket);
    netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, ping_seconds);
    // The switch says itself when the master is away (once, not at every retry).
    netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_NO_CONNECTION_WARNINGS, 1);
    // Timers run from the poll loop, never from SIGALRM in whatever thread it hits.
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_ALARM_DONT_USE_SIG, 1);
    // No configuration or persistent files of its own: the switch's configuration is the
    // running-config.
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_CONFIG_LOAD, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
    init_agent("vmready");
    // init_agent sets the AgentX defaults (a ping every 15 seconds) over what was set before.
    netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, ping_seconds);
    return 0;
}

static struct cnetsnmp_table *new_table(int id) {
    struct cnetsnmp_table *table = calloc(1, sizeof *table);
    if (table) table->id = id;
    return table;
}

static int add_cache(netsnmp_handler_registration *reg, struct cnetsnmp_table *table, const oid *root, size_t length,
                     int seconds) {
    netsnmp_cache *cache = netsnmp_cache_create(seconds, cache_load, cache_free, root, length);
    if (!cache) return -1;
    cache->magic = table;
    netsnmp_mib_handler *handler = netsnmp_cache_handler_get(cache);
    if (!handler) return -1;
    return netsnmp_inject_handler(reg, handler);
}

cnetsnmp_table *cnetsnmp_register_table(int table_id, const char *name, const uint32_t *oid32, size_t oid_len,
                                        const uint8_t *index_types, size_t index_count,
                                        const uint32_t *columns, size_t column_count, int cache_seconds) {
    if (!oid_len || oid_len > MAX_OID_LEN || !index_count || !column_count) return NULL;
    oid root[MAX_OID_LEN];
    for (size_t i = 0; i < oid_len; i++) root[i] = oid32[i];
    struct cnetsnmp_table *table = new_table(table_id);
    if (!table) return NULL;
    table->tdata = netsnmp_tdata_create_table(name, 0);
    netsnmp_handler_registration *reg =
        netsnmp_create_handler_registration(name, table_handler, root, oid_len, HANDLER_CAN_RONLY);
    netsnmp_table_registration_info *info = SNMP_MALLOC_TYPEDEF(netsnmp_table_registration_info);
    netsnmp_column_info *valid = SNMP_MALLOC_TYPEDEF(netsnmp_column_info);
    unsigned int *list = calloc(column_count, sizeof *list);
    if (!table->tdata || !reg || !info || !valid || !list || column_count > 127) return NULL;
    for (size_t i = 0; i < index_count; i++) netsnmp_table_helper_add_index(info, index_types[i]);
    info->min_column = columns[0];
    info->max_column = columns[0];
    for (size_t i = 0; i < column_count; i++) {
        list[i] = columns[i];
        if (columns[i] < info->min_column) info->min_column = columns[i];
        if (columns[i] > info->max_column) info->max_column = columns[i];
    }
    // The columns served, so that GETNEXT steps over the ones the switch has no value for.
    valid->isRange = 0;
    valid->list_count = (char)column_count;
    valid->details.list = list;
    info->valid_columns = valid;
    if (netsnmp_tdata_register(reg, table->tdata, info) != MIB_REGISTERED_OK) return NULL;
    // First in the handler chain, so the rows are loaded before the table and container
    // helpers look for one.
    if (add_cache(reg, table, root, oid_len, cache_seconds) != SNMPERR_SUCCESS) return NULL;
    return table;
}

cnetsnmp_table *cnetsnmp_register_scalars(int table_id, const char *name, const uint32_t *oid32, size_t oid_len,
                                          const uint32_t *subids, size_t subid_count, int cache_seconds) {
    if (!oid_len || oid_len > MAX_OID_LEN || !subid_count) return NULL;
    oid root[MAX_OID_LEN];
    for (size_t i = 0; i < oid_len; i++) root[i] = oid32[i];
    struct cnetsnmp_table *table = new_table(table_id);
    if (!table) return NULL;
    table->lowest = subids[0];
    table->highest = subids[0];
    for (size_t i = 0; i < subid_count; i++) {
        if (subids[i] < table->lowest) table->lowest = subids[i];
        if (subids[i] > table->highest) table->highest = subids[i];
    }
    if (table->highest - table->lowest > 64) return NULL;
    table->scalars = calloc(table->highest - table->lowest + 1, sizeof *table->scalars);
    if (!table->scalars) return NULL;
    // One registration per scalar (oid.N): a registration of their parent would be a
    // subtree the tables below it (ifTable under interfaces) overlap, which the master
    // refuses as a duplicate.
    for (size_t i = 0; i < subid_count; i++) {
        if (oid_len + 1 > MAX_OID_LEN) return NULL;
        root[oid_len] = subids[i];
        netsnmp_mib_handler *handler = netsnmp_create_handler(name, scalar_handler);
        if (!handler) return NULL;
        handler->myvoid = table;
        netsnmp_handler_registration *reg =
            netsnmp_handler_registration_create(name, handler, root, oid_len + 1, HANDLER_CAN_RONLY);
        if (!reg) return NULL;
        if (add_cache(reg, table, root, oid_len + 1, cache_seconds) != SNMPERR_SUCCESS) return NULL;
        if (netsnmp_register_scalar(reg) != MIB_REGISTERED_OK) return NULL;
    }
    return table;
}

// What agentx_reopen_session does: open the session, send the registrations again, and
// ping the master so that a master gone is noticed.
static int open_session(void) {
    if (main_session) return 0;
    if (subagent_open_master_session() != 0) return -1;
    register_mib_reattach();
    if (ping_interval > 0)
        main_session->securityModel = snmp_alarm_register(ping_interval, SA_REPEAT, agentx_check_session, main_session);
    return 0;
}

static void retry_connect(unsigned int clientreg, void *clientarg) {
    (void)clientarg;
    if (open_session() == 0) snmp_alarm_unregister(clientreg);
}

void cnetsnmp_connect(const char *socket) {
    netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET, socket);
    if (connect_pending_first) {
        // The library connects when it is first started, and retries by itself.
        connect_pending_first = 0;
        starting = 1;
        init_snmp("vmready");
        starting = 0;
        return;
    }
    if (open_session() != 0 && ping_interval > 0)
        snmp_alarm_register(ping_interval, SA_REPEAT, retry_connect, NULL);
}

void cnetsnmp_disconnect(void) {
    netsnmp_session *session = main_session;
    // Pings, retries to connect, cache expiries: nothing of the old session may run on.
    snmp_alarm_unregister_all();
    if (!session) return;
    agentx_unregister_callbacks(session);
    agentx_close_session(session, CNETSNMP_AGENTX_CLOSE_SHUTDOWN);
    snmp_call_callbacks(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_STOP, session);
    register_mib_detach();
    remove_trap_session(session);
    snmp_close(session);
    main_session = NULL;
}

int cnetsnmp_is_connected(void) { return main_session != NULL; }

int cnetsnmp_poll(int wake_fd, int timeout_ms) {
    served = 0;
    int numfds = 0, block = 0;
    netsnmp_large_fd_set fds;
    struct timeval limit = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
    struct timeval wait = limit;
    netsnmp_large_fd_set_init(&fds, FD_SETSIZE);
    snmp_select_info2(&numfds, &fds, &wait, &block);
    if (block || timercmp(&wait, &limit, >)) wait = limit;
    if (wake_fd >= 0) {
        NETSNMP_LARGE_FD_SET(wake_fd, &fds);
        if (wake_fd >= numfds) numfds = wake_fd + 1;
    }
    int count = netsnmp_large_fd_set_select(numfds, &fds, NULL, NULL, &wait);
    if (count > 0) {
        if (wake_fd >= 0 && NETSNMP_LARGE_FD_ISSET(wake_fd, &fds)) {
            char drain[64];
            while (read(wake_fd, drain, sizeof drain) > 0) {}
            NETSNMP_LARGE_FD_CLR(wake_fd, &fds);
        }
        snmp_read2(&fds);
    } else if (count == 0) {
        snmp_timeout();
    }
    run_alarms();
    netsnmp_check_outstanding_agent_requests();
    netsnmp_large_fd_set_cleanup(&fds);
    return served;
}

cnetsnmp_row *cnetsnmp_row_new(void) {
    struct cnetsnmp_row *row = calloc(1, sizeof *row);
    if (!row) return NULL;
    row->tdata = netsnmp_tdata_create_row();
    if (!row->tdata) {
        free(row);
        return NULL;
    }
    row->tdata->data = row;
    return row;
}

void cnetsnmp_row_add_index(cnetsnmp_row *row, uint8_t type, const void *value, size_t length) {
    if (!row || !row->tdata) return;
    if (type != ASN_PRIV_IMPLIED_OCTET_STR) {
        netsnmp_tdata_row_add_index(row->tdata, type, value, length);
        return;
    }
    // The library copies an octet string's value by its type: the index is added as one,
    // then marked implied, which the index encoding writes without a length.
    netsnmp_variable_list *added = netsnmp_tdata_row_add_index(row->tdata, ASN_OCTET_STR, value, length);
    if (added) added->type = ASN_PRIV_IMPLIED_OCTET_STR;
}

void cnetsnmp_row_set_column(cnetsnmp_row *row, uint32_t column, uint8_t type, const void *value, size_t length) {
    if (!row) return;
    for (size_t i = 0; i < row->count; i++) {
        if (row->values[i].column == column) {
            set_value(&row->values[i], column, type, value, length);
            return;
        }
    }
    if (row->count == row->capacity) {
        size_t capacity = row->capacity ? row->capacity * 2 : 8;
        struct value *grown = realloc(row->values, capacity * sizeof *grown);
        if (!grown) return;
        row->values = grown;
        row->capacity = capacity;
    }
    struct value *v = &row->values[row->count++];
    v->bytes = NULL;
    set_value(v, column, type, value, length);
}

int cnetsnmp_table_add_row(cnetsnmp_table *table, cnetsnmp_row *row) {
    if (!row) return -1;
    if (!table || !table->tdata || netsnmp_tdata_add_row(table->tdata, row->tdata) != SNMPERR_SUCCESS) {
        netsnmp_tdata_delete_row(row->tdata);
        row->tdata = NULL;
        free_row_values(row);
        return -1;
    }
    return 0;
}

void cnetsnmp_set_scalar(cnetsnmp_table *table, uint32_t subid, uint8_t type, const void *value, size_t length) {
    if (!table || !table->scalars || subid < table->lowest || subid > table->highest) return;
    struct value *v = &table->scalars[subid - table->lowest];
    set_value(v, subid, type, value, length);
}
