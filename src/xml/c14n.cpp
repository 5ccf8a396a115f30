#include "qujat/xml/c14n.h"

#include <libxml/c14n.h>
#include <libxml/xmlIO.h>

#include <algorithm>

#include "qujat/common/error.h"
#include "qujat/common/memory.h"
#include "xml/libxml.h"

namespace qujat::xml {

namespace {

struct Subset {
  const xmlNode* apex;
  const std::vector<const xmlNode*>* excluded;
};

// libxml2 asks about every node, attribute and namespace node; `parent` is
// the owning element for namespace nodes (whose struct has no parent field).
int is_visible(void* user, xmlNodePtr node, xmlNodePtr parent) {
  const auto& s = *static_cast<const Subset*>(user);
  const xmlNode* start = node->type == XML_NAMESPACE_DECL ? parent : node;
  bool inside_apex = s.apex == nullptr;
  for (const xmlNode* n = start; n != nullptr; n = n->parent) {
    if (std::find(s.excluded->begin(), s.excluded->end(), n) != s.excluded->end()) return 0;
    if (n == s.apex) inside_apex = true;
  }
  return inside_apex ? 1 : 0;
}

int write_to_sink(void* context, const char* buffer, int len) {
  (*static_cast<const std::function<void(std::string_view)>*>(context))(
      std::string_view(buffer, static_cast<std::size_t>(len)));
  return len;
}

}  // namespace

const char* uri(C14nMethod m) {
  switch (m) {
    case C14nMethod::Inclusive: return "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
    case C14nMethod::InclusiveWithComments: return "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
    case C14nMethod::Exclusive: return "http://www.w3.org/2001/10/xml-exc-c14n#";
    case C14nMethod::ExclusiveWithComments: return "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";
  }
  return "";
}

bool c14n_from_uri(std::string_view text, C14nMethod& out) {
  for (auto m : {C14nMethod::Inclusive, C14nMethod::InclusiveWithComments, C14nMethod::Exclusive,
                 C14nMethod::ExclusiveWithComments}) {
    if (text == uri(m)) {
      out = m;
      return true;
    }
  }
  return false;
}

void canonicalize_to(xmlDoc* doc, const xmlNode* apex, C14nMethod method, const std::vector<const xmlNode*>& excluded,
                     const std::vector<std::string>& inclusive_prefixes,
                     const std::function<void(std::string_view)>& sink) {
  ensure_libxml();
  Subset subset{apex, &excluded};
  const bool exclusive = method == C14nMethod::Exclusive || method == C14nMethod::ExclusiveWithComments;
  const bool comments = method == C14nMethod::InclusiveWithComments || method == C14nMethod::ExclusiveWithComments;
  std::vector<xmlChar*> prefixes;
  for (const auto& p : inclusive_prefixes) prefixes.push_back(reinterpret_cast<xmlChar*>(const_cast<char*>(p.c_str())));
  prefixes.push_back(nullptr);

  auto out = make_unique_ptr<xmlOutputBufferClose>(
      xmlOutputBufferCreateIO(write_to_sink, nullptr, const_cast<std::function<void(std::string_view)>*>(&sink), nullptr));
  if (!out) throw Error("xml.c14n", "cannot create a C14N output buffer");
  const bool whole = apex == nullptr && excluded.empty();
  int rc = xmlC14NExecute(doc, whole ? nullptr : is_visible, whole ? nullptr : &subset,
                          exclusive ? XML_C14N_EXCLUSIVE_1_0 : XML_C14N_1_0,
                          exclusive && inclusive_prefixes.size() > 0 ? prefixes.data() : nullptr, comments ? 1 : 0,
                          out.get());
  if (rc < 0) throw Error("xml.c14n", "canonicalisation (C14N) of the XML failed");
  if (xmlOutputBufferFlush(out.get()) < 0) throw Error("xml.c14n", "canonicalisation output failed");
}

std::string canonicalize(xmlDoc* doc, const xmlNode* apex, C14nMethod method, const std::vector<const xmlNode*>& excluded,
                         const std::vector<std::string>& inclusive_prefixes) {
  std::string out;
  canonicalize_to(doc, apex, method, excluded, inclusive_prefixes, [&out](std::string_view chunk) { out += chunk; });
  return out;
}

}  // namespace qujat::xml
