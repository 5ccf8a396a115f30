#include "qujat/mfa/guarantee_message.h"

#include <algorithm>
#include <array>

#include "qujat/common/error.h"
#include "qujat/store/applications.h"
#include "qujat/xml/document.h"

namespace qujat::mfa {
namespace {

using nlohmann::json;

constexpr const char* kSoap = "http://schemas.xmlsoap.org/soap/envelope/";

// Attachment types that are the importing country's guarantee (000: 300-310).
constexpr std::array<std::string_view, 7> kGuaranteeTypes{
    "end_user_certificate",         "import_certificate", "peaceful_use_assurance",
    "guarantee_document",           "end_user_assurance", "end_user_peaceful_use_assurance",
    "importer_guarantee_obligation"};

bool is_guarantee(const json& attachment) {
  const auto listed = [](const std::string& type) {
    return std::find(kGuaranteeTypes.begin(), kGuaranteeTypes.end(), type) != kGuaranteeTypes.end();
  };
  if (listed(attachment.value("type", ""))) return true;
  if (const auto it = attachment.find("includes"); it != attachment.end() && it->is_array())
    for (const auto& t : *it)
      if (t.is_string() && listed(t.get<std::string>())) return true;
  return false;
}

// A text field that may be bilingual ({"kk", "ru"}): the Russian text, the
// language of interstate correspondence.
std::string text_of(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_object()) {
    for (const char* lang : {"ru", "en", "kk"})
      if (value.contains(lang) && value[lang].is_string()) return value[lang].get<std::string>();
  }
  return "";
}

std::string field(const json& object, const char* name) {
  const auto it = object.find(name);
  return it == object.end() ? "" : text_of(*it);
}

Party party_of(const json& data, const char* name) {
  const auto it = data.find(name);
  if (it == data.end() || !it->is_object()) return {};
  return {field(*it, "name"), field(*it, "country"), field(*it, "address")};
}

std::string escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        // Control characters other than tab and newline are not XML.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') break;
        out += c;
    }
  }
  return out;
}

void element(std::string& out, const char* name, std::string_view text, bool optional = false) {
  if (optional && text.empty()) return;
  out += "<gc:";
  out += name;
  out += ">";
  out += escaped(text);
  out += "</gc:";
  out += name;
  out += ">";
}

void party(std::string& out, const char* name, const Party& p) {
  out += std::string("<gc:") + name + ">";
  element(out, "Name", p.name);
  element(out, "Country", p.country);
  element(out, "Address", p.address, true);
  out += std::string("</gc:") + name + ">";
}

std::string envelope(const std::string& body) {
  return std::string("<soap:Envelope xmlns:soap=\"") + kSoap + "\"><soap:Body>" + body + "</soap:Body></soap:Envelope>";
}

std::string open(const char* name) { return std::string("<gc:") + name + " xmlns:gc=\"" + kNamespace + "\">"; }

Error bad(const std::string& where, const std::string& what) { return Error("mfa.message", where + ": " + what); }

// The text of the one child `name` of `parent` (required unless optional).
std::string child_text(const xmlNode* parent, const char* name, bool required = true, std::size_t max = 1024) {
  const xmlNode* node = xml::first_child_element(parent, kNamespace, name);
  if (node == nullptr) {
    if (required) throw bad(reinterpret_cast<const char*>(parent->name), std::string("gc:") + name + " is missing");
    return "";
  }
  auto text = xml::text_content(node);
  if (text.size() > max) throw bad(std::string("gc:") + name, "longer than " + std::to_string(max) + " bytes");
  return text;
}

bool plain_token(std::string_view text) {
  return !text.empty() && text.size() <= 128 && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == ':';
  });
}

std::string key_of(const xmlNode* node) {
  auto key = child_text(node, "IdempotencyKey");
  if (!plain_token(key)) throw bad("gc:IdempotencyKey", "not a key of letters, digits and -_.:");
  return key;
}

Party read_party(const xmlNode* parent, const char* name) {
  const xmlNode* node = xml::first_child_element(parent, kNamespace, name);
  if (node == nullptr) throw bad("gc:GuaranteeCheckRequest", std::string("gc:") + name + " is missing");
  return {child_text(node, "Name"), child_text(node, "Country"), child_text(node, "Address", false)};
}

GuaranteeCheckRequest read_request(const xmlNode* node) {
  GuaranteeCheckRequest r;
  r.idempotency_key = key_of(node);
  r.check_id = child_text(node, "CheckId");
  const xmlNode* app = xml::first_child_element(node, kNamespace, "Application");
  if (app == nullptr) throw bad("gc:GuaranteeCheckRequest", "gc:Application is missing");
  r.registration_number = child_text(app, "RegistrationNumber");
  r.kind = child_text(app, "Kind");
  const xmlNode* doc = xml::first_child_element(node, kNamespace, "GuaranteeDocument");
  if (doc == nullptr) throw bad("gc:GuaranteeCheckRequest", "gc:GuaranteeDocument is missing");
  r.document.type = child_text(doc, "Type");
  r.document.issuing_country = child_text(doc, "IssuingCountry");
  r.document.issuing_authority = child_text(doc, "IssuingAuthority", false);
  r.document.number = child_text(doc, "Number");
  r.document.date = child_text(doc, "Date");
  r.document.valid_until = child_text(doc, "ValidUntil", false);
  const xmlNode* file = xml::first_child_element(doc, kNamespace, "File");
  if (file == nullptr) throw bad("gc:GuaranteeDocument", "gc:File is missing");
  r.document.sha256 = xml::attribute(file, "sha256");
  const auto content = base64_decode(xml::text_content(file));
  if (!content) throw bad("gc:File", "not base64");
  r.document.file = *content;
  r.importer = read_party(node, "Importer");
  r.end_user = read_party(node, "EndUser");
  if (const xmlNode* goods = xml::first_child_element(node, kNamespace, "Goods"))
    for (const xmlNode* item : xml::child_elements(goods, kNamespace, "Item"))
      r.goods.push_back({child_text(item, "Name"), child_text(item, "HsCode"), child_text(item, "ControlCode", false),
                         child_text(item, "Quantity"), child_text(item, "Unit", false),
                         child_text(item, "Value", false)});
  r.currency = child_text(node, "Currency", false);
  if (const xmlNode* contract = xml::first_child_element(node, kNamespace, "Contract")) {
    r.contract_number = child_text(contract, "Number");
    r.contract_date = child_text(contract, "Date");
  }
  return r;
}

}  // namespace

GuaranteeCheckRequest load_request(store::Transaction& tx, const std::string& check_id) {
  const auto row =
      tx.query_row("SELECT application_id, idempotency_key FROM guarantee_checks WHERE id = ?", {check_id});
  if (!row) throw Error("mfa.check_not_found", "no guarantee check " + check_id);
  const auto application = store::ApplicationRegistry::find(tx, row->text(0));
  if (!application) throw Error("mfa.check_not_found", "the application of check " + check_id + " is gone");
  const json& data = application->data;

  GuaranteeCheckRequest r;
  r.idempotency_key = row->text(1);
  r.check_id = check_id;
  r.registration_number = application->registration_number;
  r.kind = application->kind;
  const json* guarantee = nullptr;
  if (const auto it = data.find("attachments"); it != data.end() && it->is_array())
    for (const auto& a : *it)
      if (a.is_object() && is_guarantee(a)) {
        guarantee = &a;
        break;
      }
  if (guarantee == nullptr)
    throw Error("mfa.no_guarantee_document", "application " + application->id + " has no guarantee document attached");
  r.document.type = guarantee->value("type", "");
  r.document.number = field(*guarantee, "number");
  r.document.date = field(*guarantee, "date");
  r.document.valid_until = field(*guarantee, "valid_until");
  r.document.issuing_country = field(*guarantee, "issuer_country");
  // The body that issued it (`issuer`), not the document's title (`name`).
  r.document.issuing_authority = field(*guarantee, "issuer");
  r.document.sha256 = guarantee->value("sha256", "");
  auto file = store::ApplicationRegistry::file(tx, application->id, r.document.sha256);
  if (!file)
    throw Error("mfa.no_guarantee_document", "the file of guarantee document " + r.document.number + " (sha256 " +
                                                 r.document.sha256 + ") is missing");
  r.document.file = std::move(*file);

  // The importer: the buyer of an export, the seller's counterpart otherwise.
  r.importer = party_of(data, data.contains("buyer") ? "buyer" : "importer");
  r.end_user = party_of(data, "end_user");
  if (r.end_user.name.empty()) r.end_user = r.importer;
  if (const auto it = data.find("goods"); it != data.end() && it->is_array())
    for (const auto& g : *it) {
      std::string unit;
      if (const auto u = g.find("unit"); u != g.end() && u->is_object()) unit = field(*u, "name");
      r.goods.push_back({field(g, "name"), field(g, "hs_code"), field(g, "control_code"), field(g, "quantity"), unit,
                         field(g, "value")});
    }
  r.currency = field(data, "currency");
  if (const auto it = data.find("basis"); it != data.end() && it->is_object()) {
    r.contract_number = field(*it, "number");
    r.contract_date = field(*it, "date");
  }
  return r;
}

std::string request_envelope(const GuaranteeCheckRequest& r) {
  std::string b = open("GuaranteeCheckRequest");
  element(b, "IdempotencyKey", r.idempotency_key);
  element(b, "CheckId", r.check_id);
  b += "<gc:Application>";
  element(b, "RegistrationNumber", r.registration_number);
  element(b, "Kind", r.kind);
  b += "</gc:Application><gc:GuaranteeDocument>";
  element(b, "Type", r.document.type);
  element(b, "IssuingCountry", r.document.issuing_country);
  element(b, "IssuingAuthority", r.document.issuing_authority, true);
  element(b, "Number", r.document.number);
  element(b, "Date", r.document.date);
  element(b, "ValidUntil", r.document.valid_until, true);
  b += "<gc:File sha256=\"" + escaped(r.document.sha256) + "\">" + base64_encode(r.document.file) + "</gc:File>";
  b += "</gc:GuaranteeDocument>";
  party(b, "Importer", r.importer);
  party(b, "EndUser", r.end_user);
  b += "<gc:Goods>";
  for (const auto& g : r.goods) {
    b += "<gc:Item>";
    element(b, "Name", g.name);
    element(b, "HsCode", g.hs_code);
    element(b, "ControlCode", g.control_code, true);
    element(b, "Quantity", g.quantity);
    element(b, "Unit", g.unit, true);
    element(b, "Value", g.value, true);
    b += "</gc:Item>";
  }
  b += "</gc:Goods>";
  element(b, "Currency", r.currency, true);
  if (!r.contract_number.empty()) {
    b += "<gc:Contract>";
    element(b, "Number", r.contract_number);
    element(b, "Date", r.contract_date);
    b += "</gc:Contract>";
  }
  b += "</gc:GuaranteeCheckRequest>";
  return envelope(b);
}

std::string status_envelope(const std::string& key) {
  std::string b = open("GuaranteeCheckStatusRequest");
  element(b, "IdempotencyKey", key);
  return envelope(b + "</gc:GuaranteeCheckStatusRequest>");
}

std::string answer_envelope(const GuaranteeAnswer& a) {
  std::string b = open("GuaranteeCheckAnswer");
  element(b, "MessageId", a.message_id);
  element(b, "IdempotencyKey", a.idempotency_key);
  element(b, "Result", a.result);
  element(b, "Comment", a.comment, true);
  return envelope(b + "</gc:GuaranteeCheckAnswer>");
}

std::string receipt_envelope(const std::string& key) {
  std::string b = open("GuaranteeCheckReceipt");
  element(b, "IdempotencyKey", key);
  return envelope(b + "</gc:GuaranteeCheckReceipt>");
}

std::string acknowledgement_envelope(const std::string& message_id, const std::string& outcome) {
  std::string b = open("GuaranteeCheckAnswerAck");
  element(b, "MessageId", message_id);
  element(b, "Outcome", outcome);
  return envelope(b + "</gc:GuaranteeCheckAnswerAck>");
}

std::string fault_envelope(const std::string& code, const std::string& text) {
  return envelope("<soap:Fault><faultcode>soap:Client</faultcode><faultstring>" + escaped(code) +
                  "</faultstring><detail>" + escaped(text) + "</detail></soap:Fault>");
}

GuaranteeMessage parse_body(std::string_view body_xml) {
  const auto doc = xml::Document::parse(body_xml);
  const xmlNode* body = doc.root();
  if (!xml::is_element(body, kSoap, "Body")) throw bad("soap:Body", "the message is not a SOAP 1.1 Body");
  const auto children = xml::child_elements(body);
  if (children.size() != 1) throw bad("soap:Body", "holds " + std::to_string(children.size()) + " elements, not 1");
  const xmlNode* node = children.front();
  GuaranteeMessage m;
  if (xml::is_element(node, kNamespace, "GuaranteeCheckRequest")) {
    m.request = read_request(node);
  } else if (xml::is_element(node, kNamespace, "GuaranteeCheckStatusRequest")) {
    m.status_request = key_of(node);
  } else if (xml::is_element(node, kNamespace, "GuaranteeCheckAnswer")) {
    GuaranteeAnswer a;
    a.message_id = child_text(node, "MessageId");
    if (!plain_token(a.message_id)) throw bad("gc:MessageId", "not an identifier of letters, digits and -_.:");
    a.idempotency_key = key_of(node);
    a.result = child_text(node, "Result");
    if (std::find_if(std::begin(kResults), std::end(kResults), [&](const char* r) { return a.result == r; }) ==
        std::end(kResults))
      throw bad("gc:Result", "'" + a.result.substr(0, 64) + "' is not authentic, not_authentic or cannot_determine");
    a.comment = child_text(node, "Comment", false, 4096);
    m.answer = std::move(a);
  } else if (xml::is_element(node, kNamespace, "GuaranteeCheckReceipt")) {
    m.receipt = key_of(node);
  } else {
    throw bad("soap:Body", std::string("unexpected element ") + reinterpret_cast<const char*>(node->name));
  }
  return m;
}

}  // namespace qujat::mfa
