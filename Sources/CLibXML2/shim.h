/* libxml2 (libxml2-dev, pkg-config libxml-2.0): the parser libvirt itself writes domain XML
   with. VMManager reads domain XML through it rather than FoundationXML's XMLParser, which
   crashes on a processing instruction without data (`<?x?>`: it takes libxml2's NULL for a
   C string), found by Tests/VMManagerTests' fuzzing. */
#include <libxml/xmlversion.h>
/* Debian's libxml2 is built with ICU, and its encoding.h then includes ICU's headers,
   which clash with the ICU module Foundation ships. Nothing here uses libxml2's ICU
   converters (the handler struct they add fields to is only reached by pointer). */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
