// A fact about an input that a person reads, kept language-neutral: a stable
// code (the key of its Kazakh, Russian and English wording in
// templates/messages/) and the values that wording names. Lower layers (xml,
// pki) record findings; the layer that reports (dsig) words them with
// i18n::MessageCatalogue, so no layer below needs the wording.
#pragma once

#include <map>
#include <string>

namespace qujat {

// The values a message names, by placeholder: {"limit": "64"} fills {limit}.
using Params = std::map<std::string, std::string>;

struct Finding {
  std::string code;  // "xml.doctype.entity", "chain.root_not_trusted", ...; "" = none
  Params params;
};

}  // namespace qujat
