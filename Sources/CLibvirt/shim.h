/* libvirt's client API (libvirt-dev, pkg-config libvirt). The VMManager module is the one
   user: it wraps connections, domains, events and metadata for the switch. */
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
