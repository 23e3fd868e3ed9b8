/* libpq, PostgreSQL's own client library (libpq-dev, pkg-config libpq). The PolicyDB module
   is the one user: connections, parameterised statements, LISTEN/NOTIFY on the socket. */
#include <libpq-fe.h>
#include <postgres_ext.h>
