#ifndef CNETSNMP_H
#define CNETSNMP_H

// The switch's side of net-snmp's agent library (libsnmp-dev): an AgentX subagent whose
// tables are the library's table_tdata helper behind its cache helper. Swift sees only this
// header, not net-snmp's own: every call into the library is made here, on the one agent
// thread that owns it (net-snmp is not thread-safe).

#include <stddef.h>
#include <stdint.h>

// ASN.1 tags of the values the switch serves (net-snmp's ASN_* constants).
enum {
    CNETSNMP_INTEGER = 0x02,
    CNETSNMP_OCTET_STR = 0x04,
    CNETSNMP_OBJECT_ID = 0x06,
    CNETSNMP_COUNTER = 0x41,
    CNETSNMP_GAUGE = 0x42,
    CNETSNMP_TIMETICKS = 0x43,
    CNETSNMP_COUNTER64 = 0x46,
    // An index that is the last of its table and of fixed length (a MAC address): its
    // octets are sub-identifiers without a length (RFC 2578 7.7).
    CNETSNMP_IMPLIED_OCTET_STR = 0xc4,
};

typedef struct cnetsnmp_table cnetsnmp_table;
typedef struct cnetsnmp_row cnetsnmp_row;

// Called on the agent thread when a request needs a table whose rows expired: fills
// `table` with rows (cnetsnmp_row_new ... cnetsnmp_table_add_row) or scalars.
typedef void (*cnetsnmp_load_fn)(int table_id, cnetsnmp_table *table);
// net-snmp's log messages (connected, disconnected, errors), with their syslog priority.
typedef void (*cnetsnmp_log_fn)(int priority, const char *message);

// Sets the library up as an AgentX subagent of the master at `socket`, once per process:
// the library cannot be initialised twice. Returns 0, or -1 when it was already.
int cnetsnmp_init(const char *socket, int ping_seconds, cnetsnmp_load_fn load, cnetsnmp_log_fn log);

// A conceptual table under `oid` (the table's OID, without `.1` for its entry), its rows
// kept for `cache_seconds` after a load. `index_types` are its INDEX objects' tags;
// `columns` the columns it serves (every row has each of them). NULL on failure.
cnetsnmp_table *cnetsnmp_register_table(int table_id, const char *name, const uint32_t *oid, size_t oid_len,
                                        const uint8_t *index_types, size_t index_count,
                                        const uint32_t *columns, size_t column_count, int cache_seconds);

// Scalars `oid.N.0` for each N in `subids`, loaded as a table is. NULL on failure.
cnetsnmp_table *cnetsnmp_register_scalars(int table_id, const char *name, const uint32_t *oid, size_t oid_len,
                                          const uint32_t *subids, size_t subid_count, int cache_seconds);

// Connects to the master (the first time, after the tables are registered); later calls
// reconnect after cnetsnmp_disconnect, to `socket`. The library retries every ping
// interval while the master is away.
void cnetsnmp_connect(const char *socket);
// Closes the AgentX session: the master drops every registration of the switch.
void cnetsnmp_disconnect(void);
int cnetsnmp_is_connected(void);

// Serves what is pending and runs the library's timers, waiting at most `timeout_ms` for
// the master or for `wake_fd` (drained when readable). Returns how many requests were
// answered.
int cnetsnmp_poll(int wake_fd, int timeout_ms);

// Rows, as a load builds them.
cnetsnmp_row *cnetsnmp_row_new(void);
void cnetsnmp_row_add_index(cnetsnmp_row *row, uint8_t type, const void *value, size_t length);
void cnetsnmp_row_set_column(cnetsnmp_row *row, uint32_t column, uint8_t type, const void *value, size_t length);
// Adds the row to the table (which owns it from then on); 0, or -1 when refused (a
// duplicate index), the row then freed.
int cnetsnmp_table_add_row(cnetsnmp_table *table, cnetsnmp_row *row);
void cnetsnmp_set_scalar(cnetsnmp_table *table, uint32_t subid, uint8_t type, const void *value, size_t length);

#endif
