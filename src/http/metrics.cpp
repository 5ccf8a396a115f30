#include "qujat/http/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <variant>

#include "qujat/common/error.h"

namespace qujat::http {

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)), buckets_(new std::atomic<std::uint64_t>[bounds_.size() + 1]) {
  for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double value) noexcept {
  const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), value);
  buckets_[static_cast<std::size_t>(it - bounds_.begin())].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::bucket_counts() const {
  std::vector<std::uint64_t> out(bounds_.size() + 1);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = buckets_[i].load(std::memory_order_relaxed);
  return out;
}

template <class Metric>
Metric& Family<Metric>::with(const std::vector<std::string>& label_values) {
  if (label_values.size() != label_names_.size())
    throw Error("metrics.labels", "metric series given " + std::to_string(label_values.size()) + " label values for " +
                                      std::to_string(label_names_.size()) + " labels");
  {
    std::shared_lock lock(mutex_);
    if (const auto it = series_.find(label_values); it != series_.end()) return *it->second;
  }
  std::unique_lock lock(mutex_);
  auto& slot = series_[label_values];
  if (!slot) slot = make_();
  return *slot;
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

std::vector<double> latency_buckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

struct MetricsRegistry::Entry {
  std::string name;
  std::string help;
  std::vector<std::string> label_names;
  std::vector<double> bounds;  // histograms only
  std::variant<std::unique_ptr<Family<Counter>>, std::unique_ptr<Family<Gauge>>, std::unique_ptr<Family<Histogram>>,
               std::function<double()>>
      metric;
};

namespace {

bool valid_name(const std::string& name, bool allow_colon) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (allow_colon && c == ':');
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

void check_names(const std::string& name, const std::vector<std::string>& label_names) {
  if (!valid_name(name, true)) throw Error("metrics.bad_name", "not a metric name: " + name);
  for (const auto& l : label_names)
    if (!valid_name(l, false) || l.starts_with("__") || l == "le")
      throw Error("metrics.bad_name", "not a label name for " + name + ": " + l);
}

// Prometheus wants Go-style floats: integers without a fraction, +Inf, NaN.
void append_number(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, res.ptr);
  }
}

void append_escaped(std::string& out, const std::string& text, bool quote) {
  for (const char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '"' && quote)
      out += "\\\"";
    else
      out += c;
  }
}

void append_labels(std::string& out, const std::vector<std::string>& names, const std::vector<std::string>& values,
                   const std::string* le = nullptr) {
  if (names.empty() && le == nullptr) return;
  out += '{';
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ',';
    out += names[i];
    out += "=\"";
    append_escaped(out, values[i], true);
    out += '"';
  }
  if (le != nullptr) {
    if (!names.empty()) out += ',';
    out += "le=\"" + *le + "\"";
  }
  out += '}';
}

}  // namespace

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

template <class Metric>
Family<Metric>& MetricsRegistry::add_family(const std::string& name, const std::string& help,
                                            const std::vector<std::string>& label_names,
                                            std::vector<double> upper_bounds) {
  check_names(name, label_names);
  std::lock_guard lock(mutex_);
  for (auto& e : entries_) {
    if (e->name != name) continue;
    auto* f = std::get_if<std::unique_ptr<Family<Metric>>>(&e->metric);
    if (f == nullptr || e->label_names != label_names || e->bounds != upper_bounds)
      throw Error("metrics.conflict", "metric " + name + " is registered with another type, labels or buckets");
    return **f;
  }
  auto e = std::make_unique<Entry>();
  e->name = name;
  e->help = help;
  e->label_names = label_names;
  e->bounds = upper_bounds;
  std::function<std::unique_ptr<Metric>()> make;
  if constexpr (std::is_same_v<Metric, Histogram>)
    make = [bounds = std::move(upper_bounds)] { return std::make_unique<Histogram>(bounds); };
  else
    make = [] { return std::make_unique<Metric>(); };
  auto family = std::make_unique<Family<Metric>>(label_names, std::move(make));
  auto& ref = *family;
  e->metric = std::move(family);
  entries_.push_back(std::move(e));
  return ref;
}

Family<Counter>& MetricsRegistry::counter(const std::string& name, const std::string& help,
                                          const std::vector<std::string>& label_names) {
  return add_family<Counter>(name, help, label_names, {});
}

Family<Gauge>& MetricsRegistry::gauge(const std::string& name, const std::string& help,
                                      const std::vector<std::string>& label_names) {
  return add_family<Gauge>(name, help, label_names, {});
}

Family<Histogram>& MetricsRegistry::histogram(const std::string& name, const std::string& help,
                                              const std::vector<std::string>& label_names,
                                              std::vector<double> upper_bounds) {
  if (upper_bounds.empty() || !std::is_sorted(upper_bounds.begin(), upper_bounds.end()) ||
      std::adjacent_find(upper_bounds.begin(), upper_bounds.end()) != upper_bounds.end())
    throw Error("metrics.bad_buckets", "histogram " + name + " needs strictly increasing bucket bounds");
  return add_family<Histogram>(name, help, label_names, std::move(upper_bounds));
}

void MetricsRegistry::gauge_callback(const std::string& name, const std::string& help, std::function<double()> read) {
  check_names(name, {});
  std::lock_guard lock(mutex_);
  for (auto& e : entries_)
    if (e->name == name) throw Error("metrics.conflict", "metric " + name + " is already registered");
  auto e = std::make_unique<Entry>();
  e->name = name;
  e->help = help;
  e->metric = std::move(read);
  entries_.push_back(std::move(e));
}

std::string MetricsRegistry::render() const {
  std::string out;
  std::lock_guard lock(mutex_);
  for (const auto& e : entries_) {
    out += "# HELP " + e->name + " ";
    append_escaped(out, e->help, false);
    out += '\n';
    std::visit(
        [&](const auto& metric) {
          using T = std::decay_t<decltype(metric)>;
          if constexpr (std::is_same_v<T, std::unique_ptr<Family<Counter>>>) {
            out += "# TYPE " + e->name + " counter\n";
            metric->for_each([&](const std::vector<std::string>& values, const Counter& c) {
              out += e->name;
              append_labels(out, e->label_names, values);
              out += ' ';
              append_number(out, c.value());
              out += '\n';
            });
          } else if constexpr (std::is_same_v<T, std::unique_ptr<Family<Gauge>>>) {
            out += "# TYPE " + e->name + " gauge\n";
            metric->for_each([&](const std::vector<std::string>& values, const Gauge& g) {
              out += e->name;
              append_labels(out, e->label_names, values);
              out += ' ';
              append_number(out, g.value());
              out += '\n';
            });
          } else if constexpr (std::is_same_v<T, std::unique_ptr<Family<Histogram>>>) {
            out += "# TYPE " + e->name + " histogram\n";
            metric->for_each([&](const std::vector<std::string>& values, const Histogram& h) {
              // A snapshot of the buckets; count is their sum so the series agree.
              const auto counts = h.bucket_counts();
              std::uint64_t cumulative = 0;
              for (std::size_t i = 0; i < counts.size(); ++i) {
                cumulative += counts[i];
                std::string le;
                if (i < h.upper_bounds().size())
                  append_number(le, h.upper_bounds()[i]);
                else
                  le = "+Inf";
                out += e->name + "_bucket";
                append_labels(out, e->label_names, values, &le);
                out += ' ' + std::to_string(cumulative) + '\n';
              }
              out += e->name + "_sum";
              append_labels(out, e->label_names, values);
              out += ' ';
              append_number(out, h.sum());
              out += '\n';
              out += e->name + "_count";
              append_labels(out, e->label_names, values);
              out += ' ' + std::to_string(cumulative) + '\n';
            });
          } else {
            out += "# TYPE " + e->name + " gauge\n";
            double value = std::numeric_limits<double>::quiet_NaN();
            try {
              value = metric();
            } catch (const std::exception&) {
              // A source that cannot be read right now shows as NaN, not as a failed scrape.
            }
            out += e->name + ' ';
            append_number(out, value);
            out += '\n';
          }
        },
        e->metric);
  }
  return out;
}

}  // namespace qujat::http
