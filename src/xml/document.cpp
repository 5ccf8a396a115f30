#include "qujat/xml/document.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/valid.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlerror.h>

#include <cstring>
#include <mutex>

#include "qujat/common/error.h"
#include "xml/libxml.h"

namespace qujat::xml {

namespace {

constexpr const char* kWsuNs = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";

// What the SAX hooks observed while libxml2 parsed; the hooks stop the
// parser at the first hostile construct so nothing is expanded or fetched.
struct ParseGuard {
  const ParseLimits* limits = nullptr;
  int depth = 0;
  std::size_t nodes = 0;
  std::string code;     // our rejection, when set
  std::string message;
  Finding finding;  // the same rejection for a person's report (kk/ru/en wording)
  std::vector<std::string> libxml_messages;
  startElementNsSAX2Func start_element = nullptr;
  endElementNsSAX2Func end_element = nullptr;
  internalSubsetSAXFunc internal_subset = nullptr;
};

ParseGuard& guard_of(void* ctx) {
  auto* ctxt = static_cast<xmlParserCtxtPtr>(ctx);
  return *static_cast<ParseGuard*>(ctxt->_private);
}

void reject(void* ctx, const char* code, std::string message, Finding finding) {
  auto& g = guard_of(ctx);
  if (g.code.empty()) {
    g.code = code;
    g.message = std::move(message);
    g.finding = std::move(finding);
  }
  xmlStopParser(static_cast<xmlParserCtxtPtr>(ctx));
}

std::string str(const xmlChar* s) { return s == nullptr ? std::string() : reinterpret_cast<const char*>(s); }

// Entities are how billion-laughs and XXE work; a signed application never needs one.
void on_entity_decl(void* ctx, const xmlChar* name, int, const xmlChar*, const xmlChar*, xmlChar*) {
  reject(ctx, "xml.doctype", "the DOCTYPE declares entity '" + str(name) + "'; entities are not accepted",
         {"xml.doctype.entity", {{"entity", str(name)}}});
}

void on_internal_subset(void* ctx, const xmlChar* name, const xmlChar* external_id, const xmlChar* system_id) {
  if (external_id != nullptr || system_id != nullptr) {
    const std::string dtd = str(system_id != nullptr ? system_id : external_id);
    reject(ctx, "xml.doctype", "the DOCTYPE names an external DTD ('" + dtd + "'); external DTDs are never loaded",
           {"xml.doctype.external_dtd", {{"dtd", dtd}}});
    return;
  }
  auto& g = guard_of(ctx);
  if (g.internal_subset != nullptr) g.internal_subset(ctx, name, external_id, system_id);
}

void on_start_element(void* ctx, const xmlChar* localname, const xmlChar* prefix, const xmlChar* uri,
                      int nb_namespaces, const xmlChar** namespaces, int nb_attributes, int nb_defaulted,
                      const xmlChar** attributes) {
  auto& g = guard_of(ctx);
  if (++g.depth > g.limits->max_depth) {
    const std::string limit = std::to_string(g.limits->max_depth);
    reject(ctx, "xml.too_deep", "elements are nested deeper than " + limit + " levels",
           {"xml.too_deep", {{"limit", limit}, {"element", str(localname)}}});
    return;
  }
  g.nodes += 1 + static_cast<std::size_t>(nb_attributes);
  if (g.nodes > g.limits->max_nodes) {
    const std::string limit = std::to_string(g.limits->max_nodes);
    reject(ctx, "xml.too_many_nodes", "the document has more than " + limit + " nodes",
           {"xml.too_many_nodes", {{"limit", limit}}});
    return;
  }
  g.start_element(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes, nb_defaulted, attributes);
}

void on_end_element(void* ctx, const xmlChar* localname, const xmlChar* prefix, const xmlChar* uri) {
  auto& g = guard_of(ctx);
  --g.depth;
  g.end_element(ctx, localname, prefix, uri);
}

void on_structured_error(void* user, xmlErrorPtr error) {
  auto* ctxt = static_cast<xmlParserCtxtPtr>(user);
  if (ctxt == nullptr || ctxt->_private == nullptr || error == nullptr) return;
  auto& g = *static_cast<ParseGuard*>(ctxt->_private);
  if (g.libxml_messages.size() >= 8) return;
  std::string m = error->message != nullptr ? error->message : "error";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  g.libxml_messages.push_back("line " + std::to_string(error->line) + ": " + m);
}

bool is_id_attribute(const xmlAttr* a) {
  const char* n = reinterpret_cast<const char*>(a->name);
  if (a->ns == nullptr) return std::strcmp(n, "Id") == 0 || std::strcmp(n, "ID") == 0 || std::strcmp(n, "id") == 0;
  const char* ns = reinterpret_cast<const char*>(a->ns->href);
  if (std::strcmp(ns, kWsuNs) == 0) return std::strcmp(n, "Id") == 0;
  return std::strcmp(ns, reinterpret_cast<const char*>(XML_XML_NAMESPACE)) == 0 && std::strcmp(n, "id") == 0;
}

void collect_ids(xmlDoc* doc, xmlNode* node, std::map<std::string, xmlNode*>& ids) {
  for (xmlNode* n = node; n != nullptr; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    for (xmlAttr* a = n->properties; a != nullptr; a = a->next) {
      if (!is_id_attribute(a)) continue;
      const XmlString raw(xmlNodeListGetString(doc, a->children, 1));
      std::string value = str(raw.get());
      auto [it, inserted] = ids.emplace(value, n);
      if (!inserted)
        throw Error("xml.duplicate_id",
                    "ID '" + value + "' is used by two elements (<" + str(it->second->name) + "> and <" + str(n->name) +
                        ">); signed references would be ambiguous",
                    {}, {"xml.duplicate_id", {{"id", value}, {"first", str(it->second->name)}, {"second", str(n->name)}}});
      if (xmlGetID(doc, reinterpret_cast<const xmlChar*>(value.c_str())) == nullptr)
        xmlAddID(nullptr, doc, reinterpret_cast<const xmlChar*>(value.c_str()), a);
    }
    collect_ids(doc, n->children, ids);
  }
}

}  // namespace

void ensure_libxml() {
  static std::once_flag once;
  std::call_once(once, [] {
    xmlInitParser();
    // Schemas and anything else that resolves a URI may read local files
    // but never fetch from the network.
    xmlSetExternalEntityLoader(xmlNoNetExternalEntityLoader);
  });
}

Document Document::parse(std::string_view text, const ParseLimits& limits) {
  ensure_libxml();
  if (text.size() > limits.max_bytes)
    throw Error("xml.too_large",
                "the XML is " + std::to_string(text.size()) + " bytes, more than the limit of " +
                    std::to_string(limits.max_bytes),
                {}, {"xml.too_large", {{"size", std::to_string(text.size())}, {"limit", std::to_string(limits.max_bytes)}}});
  if (text.empty()) throw Error("xml.malformed", "the XML is empty", {}, {"xml.malformed.empty", {}});
  auto ctxt = make_unique_ptr<xmlFreeParserCtxt>(xmlCreateMemoryParserCtxt(text.data(), static_cast<int>(text.size())));
  if (!ctxt) throw Error("xml.malformed", "cannot create an XML parser", {}, {"xml.malformed.parser", {}});

  ParseGuard guard;
  guard.limits = &limits;
  xmlSAXHandler* sax = ctxt->sax;
  guard.start_element = sax->startElementNs;
  guard.end_element = sax->endElementNs;
  guard.internal_subset = sax->internalSubset;
  sax->startElementNs = on_start_element;
  sax->endElementNs = on_end_element;
  sax->internalSubset = on_internal_subset;
  sax->entityDecl = on_entity_decl;
  sax->externalSubset = nullptr;
  sax->resolveEntity = nullptr;
  sax->serror = on_structured_error;
  ctxt->_private = &guard;
  // No NOENT (no substitution), no DTDLOAD/DTDATTR/DTDVALID, no XINCLUDE;
  // NONET as a second fence; no HUGE so libxml2's own limits stay on.
  xmlCtxtUseOptions(ctxt.get(), XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);

  xmlParseDocument(ctxt.get());
  DocPtr doc(ctxt->myDoc);
  ctxt->myDoc = nullptr;
  if (!guard.code.empty()) throw Error(guard.code, guard.message, {}, guard.finding);
  if (!ctxt->wellFormed || !doc) {
    // libxml2's own reason (English, with the line) is the detail a person can act on.
    std::string detail;
    for (const auto& m : guard.libxml_messages) detail += (detail.empty() ? "" : "; ") + m;
    throw Error("xml.malformed", "the XML is not well-formed", guard.libxml_messages,
                {"xml.malformed.not_well_formed", {{"detail", detail}}});
  }
  if (xmlDocGetRootElement(doc.get()) == nullptr)
    throw Error("xml.malformed", "the XML has no document element", {}, {"xml.malformed.no_root", {}});

  Document result(std::move(doc));
  collect_ids(result.doc_.get(), xmlDocGetRootElement(result.doc_.get()), result.ids_);
  return result;
}

xmlNode* Document::root() const { return xmlDocGetRootElement(doc_.get()); }

xmlNode* Document::find_id(std::string_view id) const {
  auto it = ids_.find(std::string(id));
  return it == ids_.end() ? nullptr : it->second;
}

std::string Document::serialize() const {
  xmlChar* raw = nullptr;
  int size = 0;
  xmlDocDumpMemoryEnc(doc_.get(), &raw, &size, "UTF-8");
  const XmlString buffer(raw);
  if (!buffer) throw Error("xml.serialize", "cannot serialise the XML document");
  std::string out(reinterpret_cast<const char*>(buffer.get()), static_cast<std::size_t>(size));
  return out;
}

bool is_element(const xmlNode* node, std::string_view ns_uri, std::string_view local_name) {
  if (node == nullptr || node->type != XML_ELEMENT_NODE) return false;
  if (!local_name.empty() && local_name != reinterpret_cast<const char*>(node->name)) return false;
  if (ns_uri.empty()) return true;
  return node->ns != nullptr && ns_uri == reinterpret_cast<const char*>(node->ns->href);
}

std::vector<xmlNode*> child_elements(const xmlNode* parent, std::string_view ns_uri, std::string_view local_name) {
  std::vector<xmlNode*> out;
  if (parent == nullptr) return out;
  for (xmlNode* n = parent->children; n != nullptr; n = n->next)
    if (is_element(n, ns_uri, local_name)) out.push_back(n);
  return out;
}

xmlNode* first_child_element(const xmlNode* parent, std::string_view ns_uri, std::string_view local_name) {
  if (parent == nullptr) return nullptr;
  for (xmlNode* n = parent->children; n != nullptr; n = n->next)
    if (is_element(n, ns_uri, local_name)) return n;
  return nullptr;
}

namespace {
void collect_descendants(const xmlNode* node, std::string_view ns_uri, std::string_view local_name,
                         std::vector<xmlNode*>& out) {
  for (xmlNode* n = node->children; n != nullptr; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    if (is_element(n, ns_uri, local_name)) out.push_back(n);
    collect_descendants(n, ns_uri, local_name, out);
  }
}
}  // namespace

std::vector<xmlNode*> descendants(const xmlNode* node, std::string_view ns_uri, std::string_view local_name) {
  std::vector<xmlNode*> out;
  if (node != nullptr) collect_descendants(node, ns_uri, local_name, out);
  return out;
}

std::string text_content(const xmlNode* node) {
  if (node == nullptr) return {};
  const XmlString raw(xmlNodeGetContent(node));
  return str(raw.get());
}

std::string attribute(const xmlNode* node, std::string_view name) {
  if (node == nullptr) return {};
  std::string n(name);
  const XmlString raw(xmlGetNoNsProp(node, reinterpret_cast<const xmlChar*>(n.c_str())));
  return str(raw.get());
}

}  // namespace qujat::xml
