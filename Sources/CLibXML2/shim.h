// libxml2 is built with ICU on Debian; its encoding header would then pull ICU types that clash with
// Foundation's copy in any module that sees both (STYLE.md C2.1). We never use the ICU fields.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlreader.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
