// A parsed XML document that is safe to read from strangers: no DTD entity
// expansion, no external entities or DTDs, no network or file access, limits
// on size and depth, duplicate IDs rejected. Every XML the project reads goes
// through Document::parse.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <libxml/tree.h>

#include "qujat/common/memory.h"

namespace qujat::xml {

struct ParseLimits {
  std::size_t max_bytes = 16u << 20;  // whole input
  int max_depth = 256;                // element nesting
  std::size_t max_nodes = 1u << 20;   // elements, attributes and text nodes
};

using DocPtr = UniquePtr<xmlDoc, xmlFreeDoc>;

// libxml2's xmlFree is a function-pointer variable, not a function, so it
// cannot be a deleter template argument itself.
inline void free_xml_string(xmlChar* p) { xmlFree(p); }
// A string libxml2 allocated (xmlNodeGetContent, xmlDocDumpMemory, ...).
using XmlString = UniquePtr<xmlChar, free_xml_string>;

class Document {
 public:
  // Throws qujat::Error with code "xml.too_large", "xml.doctype" (a DOCTYPE
  // declaring entities or naming an external DTD), "xml.too_deep",
  // "xml.too_many_nodes", "xml.duplicate_id" or "xml.malformed" (libxml2's
  // messages, with line numbers, as causes).
  static Document parse(std::string_view text, const ParseLimits& limits = {});

  Document(Document&&) noexcept = default;
  Document& operator=(Document&&) noexcept = default;

  xmlDoc* native() const { return doc_.get(); }
  xmlNode* root() const;

  // Elements carrying an ID attribute (Id, ID, id, wsu:Id), by value. Each
  // value is unique in the document (parse rejects duplicates) and is
  // registered with libxml2 so that "#id" references resolve.
  const std::map<std::string, xmlNode*>& ids() const { return ids_; }
  xmlNode* find_id(std::string_view id) const;

  // The document as text, as libxml2 writes it (XML declaration included).
  std::string serialize() const;

 private:
  explicit Document(DocPtr doc) : doc_(std::move(doc)) {}
  DocPtr doc_;
  std::map<std::string, xmlNode*> ids_;
};

// Small DOM conveniences on libxml2 nodes.
bool is_element(const xmlNode* node, std::string_view ns_uri, std::string_view local_name);
std::vector<xmlNode*> child_elements(const xmlNode* parent, std::string_view ns_uri = {},
                                     std::string_view local_name = {});
xmlNode* first_child_element(const xmlNode* parent, std::string_view ns_uri, std::string_view local_name);
// Every descendant element (document order) with that namespace and name.
std::vector<xmlNode*> descendants(const xmlNode* node, std::string_view ns_uri, std::string_view local_name);
std::string text_content(const xmlNode* node);
std::string attribute(const xmlNode* node, std::string_view name);  // "" when absent

}  // namespace qujat::xml
