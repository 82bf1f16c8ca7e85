// Learning threshold networks from images; see tdam/learn.hpp and docs/learning.md.
#include "tdam/learn.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "tdam/detmath.hpp"
#include "tdam/error.hpp"
#include "tdam/kernels.hpp"
#include "tdam/limits.hpp"

namespace tdam {
namespace {

constexpr int kMaxEpochs = 100000;

std::string num(double x) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.6g", x);
    return buffer;
}

void check_images(const Matrix& images, const std::string& what) {
    TDAM_REQUIRE(images.rows() >= 1 && images.rows() <= limits::kMaxVisible,
            what + " must have between 1 and " + std::to_string(limits::kMaxVisible) + " pixels (rows), got " +
                std::to_string(images.rows()));
    TDAM_REQUIRE(images.cols() >= 1 && images.cols() <= limits::kMaxPatterns,
            what + " must hold between 1 and " + std::to_string(limits::kMaxPatterns) + " images (columns), got " +
                std::to_string(images.cols()));
    const double* p = images.data();
    for (Eigen::Index k = 0; k < images.size(); ++k)
        TDAM_REQUIRE(std::isfinite(p[k]), what + " must be finite (image " + std::to_string(k / images.rows()) +
                                         ", pixel " + std::to_string(k % images.rows()) + ")");
}

void check_network_size(Eigen::Index nv, int hidden) {
    TDAM_REQUIRE(hidden >= 1 && hidden <= limits::kMaxHidden,
            "hidden must be between 1 and " + std::to_string(limits::kMaxHidden) + " (got " +
                std::to_string(hidden) + ")");
    TDAM_REQUIRE(nv * hidden <= limits::kMaxWeights,
            "N_v * N_h = " + std::to_string(nv * hidden) + " exceeds the limit of " +
                std::to_string(limits::kMaxWeights) + " weights");
}

// beta_start * (beta_end / beta_start)^t, t in [0, 1], with det_exp/det_log.
double geometric(double start, double end, double t) {
    if (start == end) return start;
    return start * det_exp(t * det_log(end / start));
}

// Hidden field h = (1/N_v) xi^T x exactly as the dynamics compute it
// (kernels::hidden_field, then times the field scale).
void field(const Matrix& xi_t, const double* x, Eigen::Index nv, double scale, Vector& raw, Vector& h) {
    raw.setZero(xi_t.rows());
    for (Eigen::Index i = 0; i < nv; ++i)
        if (x[i] != 0.0) kernels::add_scaled(raw, x[i], xi_t.col(i).data());
    h = scale * raw;
}

// Packs 0/1 codes into words for counting distinct ones.
std::vector<std::vector<std::uint64_t>> pack(const Matrix& codes) {
    const Eigen::Index nh = codes.rows();
    const Eigen::Index words = (nh + 63) / 64;
    std::vector<std::vector<std::uint64_t>> out(static_cast<std::size_t>(codes.cols()),
                                                std::vector<std::uint64_t>(static_cast<std::size_t>(words), 0));
    for (Eigen::Index k = 0; k < codes.cols(); ++k)
        for (Eigen::Index mu = 0; mu < nh; ++mu)
            if (codes(mu, k) != 0.0) out[static_cast<std::size_t>(k)][static_cast<std::size_t>(mu / 64)] |= std::uint64_t{1} << (mu % 64);
    return out;
}

// The end of an epoch, for both methods: refuses non-finite weights, then
// records the epoch's curves in r (sums over the images, divided by their
// count) and, from the hard codes of all images, their mean activity and
// how many are distinct.
void end_epoch(TrainResult& r, const Matrix& images, double loss_sum, double activity_sum, double margin_sum,
               double beta) {
    for (Eigen::Index k = 0; k < r.xi.size(); ++k)
        TDAM_REQUIRE(std::isfinite(r.xi.data()[k]), "training diverged (non-finite weights); lower learning_rate");
    const double count = static_cast<double>(images.cols());
    r.loss_per_epoch.push_back(loss_sum / count);
    r.activity_loss_per_epoch.push_back(activity_sum / count);
    r.margin_loss_per_epoch.push_back(margin_sum / count);
    r.beta_per_epoch.push_back(beta);
    const Matrix codes = encode(ThresholdNetwork(r.xi, r.theta, Visible::Linear), images);
    double active = 0.0;
    for (Eigen::Index k = 0; k < codes.cols(); ++k)
        for (Eigen::Index mu = 0; mu < codes.rows(); ++mu) active += codes(mu, k);
    r.mean_active_per_epoch.push_back(active / count);
    r.distinct_codes_per_epoch.push_back(count_distinct_codes(codes));
}

// Adam (Kingma & Ba) with the usual constants, elementwise.
struct Adam {
    static constexpr double kBeta1 = 0.9;
    static constexpr double kBeta2 = 0.999;
    explicit Adam(Eigen::Index n) : m(Vector::Zero(n)), v(Vector::Zero(n)) {}
    Vector m, v;
    // One step on params (size n) with gradient g; c1 = 1 - beta1^t, c2 = 1 - beta2^t.
    void step(double* params, const double* g, double rate, double c1, double c2) {
        constexpr double b1 = kBeta1, b2 = kBeta2, eps = 1e-8;
        double* mm = m.data();
        double* vv = v.data();
        const Eigen::Index n = m.size();
        for (Eigen::Index k = 0; k < n; ++k) {
            mm[k] = b1 * mm[k] + (1.0 - b1) * g[k];
            vv[k] = b2 * vv[k] + (1.0 - b2) * (g[k] * g[k]);
            const double mhat = mm[k] / c1;
            const double vhat = vv[k] / c2;
            params[k] -= rate * mhat / (std::sqrt(vhat) + eps);
        }
    }
};

// The value below which a fraction 1 - p of `values` lies: a threshold that
// a fraction p of them exceed (sorted copy; deterministic).
double upper_quantile(std::vector<double> values, double p) {
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    std::size_t k = static_cast<std::size_t>(std::floor((1.0 - p) * static_cast<double>(n)));
    if (k >= n) k = n - 1;
    if (k == 0) return values[0] - 1e-12;
    return 0.5 * (values[k - 1] + values[k]);
}

// Small random weights and thresholds at which each unit fires for about a
// fraction p of the images (measured on up to 1000 of them).
void initialise(const Matrix& images, int nh, double p, Rng& rng, Matrix& xi, Vector& theta) {
    const Eigen::Index nv = images.rows();
    xi.resize(nv, nh);
    for (Eigen::Index mu = 0; mu < nh; ++mu)
        for (Eigen::Index i = 0; i < nv; ++i) xi(i, mu) = 0.1 * rng.normal();
    const Matrix xi_t = xi.transpose();
    const Eigen::Index sample = std::min<Eigen::Index>(images.cols(), 1000);
    const double scale = 1.0 / static_cast<double>(nv);
    std::vector<std::vector<double>> h_values(static_cast<std::size_t>(nh));
    Vector raw, h;
    for (Eigen::Index k = 0; k < sample; ++k) {
        field(xi_t, images.col(k).data(), nv, scale, raw, h);
        for (int mu = 0; mu < nh; ++mu) h_values[static_cast<std::size_t>(mu)].push_back(h[mu]);
    }
    theta.resize(nh);
    const double q = p > 0.0 && p < 1.0 ? p : 0.5;
    for (int mu = 0; mu < nh; ++mu) theta[mu] = upper_quantile(h_values[static_cast<std::size_t>(mu)], q);
}

void report(const Progress& progress, double fraction) {
    if (progress && !progress(fraction)) throw Cancelled();
}

}  // namespace

void check_train_options(const TrainOptions& o) {
    TDAM_REQUIRE(o.hidden >= 1 && o.hidden <= limits::kMaxHidden,
            "hidden must be between 1 and " + std::to_string(limits::kMaxHidden) + " (got " + std::to_string(o.hidden) + ")");
    TDAM_REQUIRE(o.epochs >= 1 && o.epochs <= kMaxEpochs,
            "epochs must be between 1 and " + std::to_string(kMaxEpochs) + " (got " + std::to_string(o.epochs) + ")");
    TDAM_REQUIRE(o.batch >= 1 && o.batch <= limits::kMaxPatterns,
            "batch must be between 1 and " + std::to_string(limits::kMaxPatterns) + " (got " + std::to_string(o.batch) + ")");
    TDAM_REQUIRE(std::isfinite(o.learning_rate) && o.learning_rate > 0.0,
            "learning_rate must be positive and finite (got " + num(o.learning_rate) + ")");
    TDAM_REQUIRE(std::isfinite(o.theta_learning_rate) && o.theta_learning_rate >= 0.0,
            "theta_learning_rate must be finite and >= 0 (got " + num(o.theta_learning_rate) + ")");
    TDAM_REQUIRE(std::isfinite(o.beta_start) && o.beta_start > 0.0 && o.beta_start <= 1e6,
            "beta_start must be in (0, 1e6] (got " + num(o.beta_start) + ")");
    TDAM_REQUIRE(std::isfinite(o.beta_end) && o.beta_end > 0.0 && o.beta_end <= 1e6,
            "beta_end must be in (0, 1e6] (got " + num(o.beta_end) + ")");
    TDAM_REQUIRE(std::isfinite(o.activity_target) && o.activity_target > 0.0 && o.activity_target < 1.0,
            "activity_target must be in (0, 1) (got " + num(o.activity_target) + ")");
    TDAM_REQUIRE(std::isfinite(o.activity_weight) && o.activity_weight >= 0.0,
            "activity_weight must be finite and >= 0 (got " + num(o.activity_weight) + ")");
    TDAM_REQUIRE(std::isfinite(o.margin) && o.margin >= 0.0, "margin must be finite and >= 0 (got " + num(o.margin) + ")");
    TDAM_REQUIRE(std::isfinite(o.margin_weight) && o.margin_weight >= 0.0,
            "margin_weight must be finite and >= 0 (got " + num(o.margin_weight) + ")");
}

TrainResult train_threshold(const Matrix& images, const TrainOptions& o) {
    check_train_options(o);
    check_images(images, "training images");
    check_network_size(images.rows(), o.hidden);
    const Eigen::Index nv = images.rows();
    const int nh = o.hidden;
    const Eigen::Index count = images.cols();
    const int batch = static_cast<int>(std::min<Eigen::Index>(o.batch, count));
    const std::int64_t batches_per_epoch = (count + batch - 1) / batch;
    const std::int64_t total_steps = batches_per_epoch * o.epochs;
    const double scale = 1.0 / static_cast<double>(nv);  // the network's field scale
    const double dnv = static_cast<double>(nv);
    const double p = o.activity_target;
    const bool use_margin = o.margin_weight > 0.0;

    Rng rng(o.seed);
    TrainResult r;
    initialise(images, nh, p, rng, r.xi, r.theta);
    Matrix& xi = r.xi;
    Vector& theta = r.theta;
    Matrix xi_t = xi.transpose();
    Adam adam_xi(xi.size()), adam_theta(nh);
    double b1t = 1.0, b2t = 1.0;  // beta1^t, beta2^t as running products

    Matrix grad_xi(nv, nh);
    Vector grad_theta(nh);
    // Per minibatch: smoothed codes, hard codes, surrogate codes (slope
    // beta_start, for the activity gradient) and signed distances.
    Matrix soft(nh, batch), hard(nh, batch), surrogate(nh, batch), distance(nh, batch);
    Vector raw, h, recon(nv), err(nv), ga(nh), rate(nh), norms = Vector::Ones(nh);
    std::vector<int> order(static_cast<std::size_t>(count));
    for (Eigen::Index k = 0; k < count; ++k) order[static_cast<std::size_t>(k)] = static_cast<int>(k);

    std::int64_t step = 0;
    double beta = o.beta_start;
    for (int epoch = 0; epoch < o.epochs; ++epoch) {
        rng.shuffle(order);
        double loss_sum = 0.0, activity_sum = 0.0, margin_sum = 0.0;
        for (std::int64_t b = 0; b < batches_per_epoch; ++b) {
            const Eigen::Index first = b * batch;
            const int bs = static_cast<int>(std::min<Eigen::Index>(batch, count - first));
            const double dbs = static_cast<double>(bs);
            beta = total_steps > 1 ? geometric(o.beta_start, o.beta_end,
                                               static_cast<double>(step) / static_cast<double>(total_steps - 1))
                                   : o.beta_start;
            if (use_margin)
                for (int mu = 0; mu < nh; ++mu)
                    norms[mu] = std::sqrt(kernels::dot(xi.col(mu).data(), xi.col(mu).data(), nv));
            // Forward.
            rate.setZero();
            for (int n = 0; n < bs; ++n) {
                const double* x = images.col(order[static_cast<std::size_t>(first + n)]).data();
                field(xi_t, x, nv, scale, raw, h);
                for (int mu = 0; mu < nh; ++mu) {
                    const double u = h[mu] - theta[mu];
                    soft(mu, n) = det_logistic(beta * u);
                    surrogate(mu, n) = det_logistic(o.beta_start * u);
                    hard(mu, n) = u > 0.0 ? 1.0 : 0.0;
                    rate[mu] += hard(mu, n);
                    distance(mu, n) = norms[mu] > 0.0 ? (raw[mu] - dnv * theta[mu]) / norms[mu] : 0.0;
                }
            }
            double activity = 0.0;
            for (int mu = 0; mu < nh; ++mu) {
                rate[mu] /= dbs;
                activity += (rate[mu] - p) * (rate[mu] - p);
            }
            activity /= nh;
            // Backward, one image at a time; every gradient sum runs over the
            // images of the batch in order.
            grad_xi.setZero();
            grad_theta.setZero();
            const double rec_scale = 2.0 / (dbs * dnv);               // d mean / d recon
            const double act_scale = o.activity_weight * 2.0 / (nh * dbs);
            const double margin_scale = o.margin_weight / (nh * dbs);
            double batch_loss = 0.0, batch_margin = 0.0;
            for (int n = 0; n < bs; ++n) {
                const double* x = images.col(order[static_cast<std::size_t>(first + n)]).data();
                const double* a = soft.col(n).data();
                recon.setZero();
                for (int mu = 0; mu < nh; ++mu) kernels::add_scaled(recon, a[mu], xi.col(mu).data());
                for (Eigen::Index i = 0; i < nv; ++i) err[i] = recon[i] - x[i];
                batch_loss += kernels::dot(err.data(), err.data(), nv);
                for (Eigen::Index i = 0; i < nv; ++i) err[i] *= rec_scale;
                ga.setZero();  // xi^T err
                for (Eigen::Index i = 0; i < nv; ++i)
                    if (err[i] != 0.0) kernels::add_scaled(ga, err[i], xi_t.col(i).data());
                for (int mu = 0; mu < nh; ++mu) {
                    const double am = a[mu];
                    const double sm = surrogate(mu, n);
                    // dL/dh_mu: reconstruction through the logistic, activity
                    // through the surrogate.
                    const double gh = ga[mu] * beta * am * (1.0 - am) +
                                      act_scale * (rate[mu] - p) * o.beta_start * sm * (1.0 - sm);
                    double cx = gh * scale;  // coefficient of x in d/d xi_mu
                    double cw = 0.0;         // coefficient of xi_mu
                    grad_theta[mu] -= gh;
                    if (use_margin && norms[mu] > 0.0) {
                        const double side = hard(mu, n) > 0.0 ? 1.0 : -1.0;
                        const double d = distance(mu, n);
                        if (side * d < o.margin) {
                            batch_margin += o.margin - side * d;
                            // d(d)/d xi = x/|xi| - d xi/|xi|^2, d(d)/d theta = -N_v/|xi|.
                            const double c = -side * margin_scale;
                            const double inv = 1.0 / norms[mu];
                            cx += c * inv;
                            cw = -c * d * inv * inv;
                            grad_theta[mu] -= c * dnv * inv;
                        }
                    }
                    double* g = grad_xi.col(mu).data();
                    const double* w = xi.col(mu).data();
                    if (cw != 0.0)
                        for (Eigen::Index i = 0; i < nv; ++i) g[i] += am * err[i] + cx * x[i] + cw * w[i];
                    else
                        for (Eigen::Index i = 0; i < nv; ++i) g[i] += am * err[i] + cx * x[i];
                }
            }
            loss_sum += batch_loss / dnv;
            activity_sum += activity * dbs;
            margin_sum += batch_margin / nh;
            ++step;
            b1t *= Adam::kBeta1;
            b2t *= Adam::kBeta2;
            adam_xi.step(xi.data(), grad_xi.data(), o.learning_rate, 1.0 - b1t, 1.0 - b2t);
            if (o.theta_learning_rate > 0.0)
                adam_theta.step(theta.data(), grad_theta.data(), o.theta_learning_rate, 1.0 - b1t, 1.0 - b2t);
            xi_t = xi.transpose();
            if (o.on_batch && !o.on_batch(step, batch_loss / (dbs * dnv))) throw Cancelled();
            if (o.progress && step % 16 == 0)
                report(o.progress, static_cast<double>(step) / static_cast<double>(total_steps));
        }
        end_epoch(r, images, loss_sum, activity_sum, margin_sum, beta);
        report(o.progress, static_cast<double>(step) / static_cast<double>(total_steps));
    }
    r.steps = step;
    return r;
}

// ---------------------------------------------------------------------------

void check_hebbian_options(const HebbianOptions& o) {
    TDAM_REQUIRE(o.hidden >= 1 && o.hidden <= limits::kMaxHidden,
            "hidden must be between 1 and " + std::to_string(limits::kMaxHidden) + " (got " + std::to_string(o.hidden) + ")");
    TDAM_REQUIRE(o.epochs >= 1 && o.epochs <= kMaxEpochs,
            "epochs must be between 1 and " + std::to_string(kMaxEpochs) + " (got " + std::to_string(o.epochs) + ")");
    TDAM_REQUIRE(std::isfinite(o.learning_rate) && o.learning_rate > 0.0,
            "learning_rate must be positive and finite (got " + num(o.learning_rate) + ")");
    TDAM_REQUIRE(std::isfinite(o.threshold_rate) && o.threshold_rate >= 0.0,
            "threshold_rate must be finite and >= 0 (got " + num(o.threshold_rate) + ")");
    TDAM_REQUIRE(std::isfinite(o.activity_target) && o.activity_target > 0.0 && o.activity_target < 1.0,
            "activity_target must be in (0, 1) (got " + num(o.activity_target) + ")");
    TDAM_REQUIRE(o.free_steps >= 0 && o.free_steps <= 1000,
            "free_steps must be between 0 and 1000 (got " + std::to_string(o.free_steps) + ")");
}

TrainResult train_hebbian(const Matrix& images, const HebbianOptions& o) {
    check_hebbian_options(o);
    check_images(images, "training images");
    check_network_size(images.rows(), o.hidden);
    const Eigen::Index nv = images.rows();
    const int nh = o.hidden;
    const Eigen::Index count = images.cols();
    const double scale = 1.0 / static_cast<double>(nv);
    const double p = o.activity_target;
    const double eta = o.learning_rate;
    const std::int64_t total = count * o.epochs;

    Rng rng(o.seed);
    TrainResult r;
    initialise(images, nh, p, rng, r.xi, r.theta);
    Matrix& xi = r.xi;
    Vector& theta = r.theta;
    Matrix xi_t = xi.transpose();
    Vector raw, h, recon(nv), vf(nv), s(nh), sf(nh), next(nh);
    std::vector<int> order(static_cast<std::size_t>(count));
    for (Eigen::Index k = 0; k < count; ++k) order[static_cast<std::size_t>(k)] = static_cast<int>(k);
    auto pattern = [&](const Vector& code, Vector& out) {
        out.setZero();
        for (int mu = 0; mu < nh; ++mu)
            if (code[mu] != 0.0) kernels::add_scaled(out, 1.0, xi.col(mu).data());
    };
    auto code_of = [&](const double* v, Vector& out) {
        field(xi_t, v, nv, scale, raw, h);
        for (int mu = 0; mu < nh; ++mu) out[mu] = h[mu] - theta[mu] > 0.0 ? 1.0 : 0.0;
    };
    std::int64_t done = 0;
    for (int epoch = 0; epoch < o.epochs; ++epoch) {
        rng.shuffle(order);
        double loss_sum = 0.0, activity_sum = 0.0;
        for (Eigen::Index k = 0; k < count; ++k) {
            const double* x = images.col(order[static_cast<std::size_t>(k)]).data();
            // Clamped phase.
            code_of(x, s);
            pattern(s, recon);
            double sq = 0.0;
            for (Eigen::Index i = 0; i < nv; ++i) {
                const double e = x[i] - recon[i];
                sq += e * e;
            }
            loss_sum += sq / static_cast<double>(nv);
            // Free phase: synchronous recall from the clamped code.
            sf = s;
            vf = recon;
            for (int t = 0; t < o.free_steps; ++t) {
                code_of(vf.data(), next);
                if (next == sf) break;
                sf = next;
                pattern(sf, vf);
            }
            // xi_mu += eta (s_mu x - sf_mu vf); theta_mu += eta_theta (s_mu - p).
            for (int mu = 0; mu < nh; ++mu) {
                double* w = xi.col(mu).data();
                if (s[mu] != 0.0 && sf[mu] != 0.0) {
                    for (Eigen::Index i = 0; i < nv; ++i) w[i] += eta * (x[i] - vf[i]);
                } else if (s[mu] != 0.0) {
                    for (Eigen::Index i = 0; i < nv; ++i) w[i] += eta * x[i];
                } else if (sf[mu] != 0.0) {
                    for (Eigen::Index i = 0; i < nv; ++i) w[i] -= eta * vf[i];
                }
                if (s[mu] != 0.0 || sf[mu] != 0.0)
                    for (Eigen::Index i = 0; i < nv; ++i) xi_t(mu, i) = w[i];
                theta[mu] += o.threshold_rate * (s[mu] - p);
                activity_sum += (s[mu] - p) * (s[mu] - p) / nh;
            }
            ++done;
            if (o.progress && done % 256 == 0)
                report(o.progress, static_cast<double>(done) / static_cast<double>(total));
        }
        end_epoch(r, images, loss_sum, activity_sum, 0.0, 0.0);
        report(o.progress, static_cast<double>(done) / static_cast<double>(total));
    }
    r.steps = done;
    return r;
}

std::vector<std::pair<std::string, double>> describe(const TrainOptions& o) {
    return {{"hidden", o.hidden},
            {"epochs", o.epochs},
            {"batch", o.batch},
            {"learning_rate", o.learning_rate},
            {"theta_learning_rate", o.theta_learning_rate},
            {"beta_start", o.beta_start},
            {"beta_end", o.beta_end},
            {"activity_target", o.activity_target},
            {"activity_weight", o.activity_weight},
            {"margin", o.margin},
            {"margin_weight", o.margin_weight}};
}

std::vector<std::pair<std::string, double>> describe(const HebbianOptions& o) {
    return {{"hidden", o.hidden},
            {"epochs", o.epochs},
            {"learning_rate", o.learning_rate},
            {"threshold_rate", o.threshold_rate},
            {"activity_target", o.activity_target},
            {"free_steps", o.free_steps}};
}

// ---------------------------------------------------------------------------

Matrix encode(const ThresholdNetwork& net, const Matrix& images) {
    TDAM_REQUIRE(images.rows() == net.nv(), "images have " + std::to_string(images.rows()) +
                                           " pixels, the network has N_v = " + std::to_string(net.nv()));
    Matrix codes(net.nh(), images.cols());
    Vector raw, h, f;
    for (Eigen::Index k = 0; k < images.cols(); ++k) {
        kernels::hidden_field(net.weights_transposed(), images.col(k), raw);
        h = net.field_scale() * raw;
        net.activate(h, f);
        codes.col(k) = f;
    }
    return codes;
}

int count_distinct_codes(const Matrix& codes) {
    auto packed = pack(codes);
    std::sort(packed.begin(), packed.end());
    return static_cast<int>(std::unique(packed.begin(), packed.end()) - packed.begin());
}

namespace {

// Squared error sum and count of binarised mismatches between x and v.
void compare(const Vector& x, const Vector& v, Visible visible, double& sq, double& wrong) {
    const double cut = visible == Visible::Binary ? 0.0 : 0.5;
    sq = 0.0;
    wrong = 0.0;
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        const double d = x[i] - v[i];
        sq += d * d;
        if ((x[i] > cut) != (v[i] > cut)) wrong += 1.0;
    }
}

int hamming(const Vector& a, const Vector& b) {
    int d = 0;
    for (Eigen::Index k = 0; k < a.size(); ++k) d += a[k] != b[k] ? 1 : 0;
    return d;
}

}  // namespace

StorageReport evaluate_storage(const ThresholdNetwork& net, const Matrix& images, const RecallOptions& recall_options,
                               const Progress& progress) {
    TDAM_REQUIRE(images.cols() >= 1, "no images to evaluate");
    TDAM_REQUIRE(images.rows() == net.nv(), "images have " + std::to_string(images.rows()) +
                                           " pixels, the network has N_v = " + std::to_string(net.nv()));
    check_options(recall_options);
    RecallOptions ro = recall_options;
    ro.record_states = false;
    const Matrix codes = encode(net, images);
    StorageReport rep;
    rep.images = static_cast<int>(images.cols());
    const double nv = static_cast<double>(net.nv());
    double mse = 0, wrong = 0, fixed = 0, dist = 0, rmse = 0, active = 0;
    std::vector<int> unit_on(static_cast<std::size_t>(net.nh()), 0);
    for (Eigen::Index k = 0; k < images.cols(); ++k) {
        const Vector x = images.col(k);
        net.check_visible(x, "image " + std::to_string(k));
        const Vector s = codes.col(k);
        const Vector v = code_pattern(net, s);
        double sq, w;
        compare(x, v, net.visible(), sq, w);
        mse += sq / nv;
        wrong += w / nv;
        if (is_stable_code(net, s)) fixed += 1.0;
        const Trajectory t = tdam::recall(net, x, ro);
        dist += hamming(s, t.final_hidden);
        compare(x, t.final_visible, net.visible(), sq, w);
        rmse += sq / nv;
        for (int mu = 0; mu < net.nh(); ++mu)
            if (s[mu] != 0.0) {
                active += 1.0;
                ++unit_on[static_cast<std::size_t>(mu)];
            }
        if (progress && (k % 64 == 63)) report(progress, static_cast<double>(k + 1) / static_cast<double>(images.cols()));
    }
    const double n = static_cast<double>(images.cols());
    rep.mse = mse / n;
    rep.pixel_error = wrong / n;
    rep.fixed_point_fraction = fixed / n;
    rep.fixed_point_distance = dist / n;
    rep.recall_mse = rmse / n;
    rep.mean_active = active / n;
    rep.distinct_codes = count_distinct_codes(codes);
    for (int c : unit_on) {
        if (c == 0) ++rep.dead_units;
        if (c == images.cols()) ++rep.always_on_units;
    }
    return rep;
}

RetrievalReport evaluate_retrieval(const ThresholdNetwork& net, const Matrix& images, const RetrievalOptions& o) {
    TDAM_REQUIRE(images.cols() >= 1, "no images to evaluate");
    TDAM_REQUIRE(images.rows() == net.nv(), "images have " + std::to_string(images.rows()) +
                                           " pixels, the network has N_v = " + std::to_string(net.nv()));
    TDAM_REQUIRE(o.trials >= 1, "trials must be >= 1 (got " + std::to_string(o.trials) + ")");
    check_options(o.recall);
    RecallOptions ro = o.recall;
    ro.record_states = false;
    const Matrix codes = encode(net, images);
    Rng rng(o.seed);
    const double nv = static_cast<double>(net.nv());
    RetrievalReport rep;
    rep.level = o.corruption.level;
    double dist = 0, cue_wrong = 0, wrong = 0, mse = 0, steps = 0;
    const double work = static_cast<double>(images.cols()) * o.trials;
    for (Eigen::Index k = 0; k < images.cols(); ++k) {
        const Vector x = images.col(k);
        net.check_visible(x, "image " + std::to_string(k));
        const Vector s = codes.col(k);
        const Trajectory clean = tdam::recall(net, x, ro);
        for (int t = 0; t < o.trials; ++t) {
            const Vector cue = net.visible() == Visible::Linear ? corrupt_grey(x, o.corruption, rng)
                                                                : corrupt(x, o.corruption, net.visible(), rng);
            const Trajectory r = tdam::recall(net, cue, ro);
            ++rep.cues;
            if (r.final_hidden == s) ++rep.clean_code;
            if (r.final_hidden == clean.final_hidden) ++rep.clean_attractor;
            if (r.stop == StopReason::Converged) ++rep.converged;
            dist += hamming(r.final_hidden, s);
            steps += r.steps;
            double sq, w;
            compare(x, cue, net.visible(), sq, w);
            cue_wrong += w / nv;
            compare(x, r.final_visible, net.visible(), sq, w);
            wrong += w / nv;
            mse += sq / nv;
        }
        if (o.progress && (k % 16 == 15))
            report(o.progress, static_cast<double>(k + 1) * o.trials / work);
    }
    const double n = rep.cues;
    rep.clean_code_fraction = rep.clean_code / n;
    rep.clean_code_ci95 = wilson_interval(rep.clean_code, rep.cues);
    rep.clean_attractor_fraction = rep.clean_attractor / n;
    rep.mean_code_distance = dist / n;
    rep.cue_pixel_error = cue_wrong / n;
    rep.pixel_error = wrong / n;
    rep.mse = mse / n;
    rep.mean_steps = steps / n;
    return rep;
}

}  // namespace tdam
