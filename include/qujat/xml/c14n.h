// Canonical XML (C14N 1.0 inclusive and exclusive, with or without comments)
// of a whole document or of one subtree, as XMLDSig digests it.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <libxml/tree.h>

namespace qujat::xml {

enum class C14nMethod { Inclusive, InclusiveWithComments, Exclusive, ExclusiveWithComments };

// W3C URIs of the methods, and back (nullopt-like: false when unknown).
const char* uri(C14nMethod m);
bool c14n_from_uri(std::string_view uri, C14nMethod& out);

// Streams the canonical form to `sink` in chunks (digesting without a copy).
void canonicalize_to(xmlDoc* doc, const xmlNode* apex, C14nMethod method,
                     const std::vector<const xmlNode*>& excluded,
                     const std::vector<std::string>& inclusive_prefixes,
                     const std::function<void(std::string_view)>& sink);

// Canonical form of the subtree of `apex` (or the whole document when null),
// leaving out every subtree rooted at one of `excluded` (enveloped signatures).
std::string canonicalize(xmlDoc* doc, const xmlNode* apex, C14nMethod method,
                         const std::vector<const xmlNode*>& excluded = {},
                         const std::vector<std::string>& inclusive_prefixes = {});

}  // namespace qujat::xml
