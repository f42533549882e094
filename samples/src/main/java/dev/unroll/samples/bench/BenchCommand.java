package dev.unroll.samples.bench;

import dev.unroll.autograd.DType;
import dev.unroll.autograd.Kernels;
import dev.unroll.autograd.MatrixOps;
import dev.unroll.autograd.ProductTimes;
import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.autograd.internal.Activations;
import dev.unroll.nn.clip.GradClipping;
import dev.unroll.nn.layers.Embedding;
import dev.unroll.nn.optim.Adagrad;
import dev.unroll.nn.optim.Adam;
import dev.unroll.nn.optim.Optimizer;
import dev.unroll.nn.optim.Sgd;
import dev.unroll.rnn.LossAndState;
import dev.unroll.rnn.State;
import dev.unroll.rnn.cell.MguCell;
import dev.unroll.rnn.layer.CellType;
import dev.unroll.rnn.layer.RecurrentOptions;
import dev.unroll.rnn.model.LanguageModel;
import dev.unroll.samples.common.Corpus;
import dev.unroll.samples.common.OptionChecks;
import dev.unroll.samples.programs.MinCharRnnCommand;
import dev.unroll.train.parallel.DataParallel;
import dev.unroll.train.parallel.ShardLoss;
import dev.unroll.train.parallel.Shards;
import java.io.PrintStream;
import java.nio.file.Path;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures the standard configurations of {@code shared/peers/CONFIGS.md} the way the PyTorch
 * peer script does: after warm-up, the time of whole training iterations (forward, loss,
 * backward, clipping, optimizer step) on tiny-shakespeare, as median, min and max ms and
 * tokens/s; plus the GFLOP/s of the product kernel (G), the per-op cost of the tape (overhead),
 * and the bytes allocated and garbage collections per iteration; {@code activations} times the
 * tanh and sigmoid kernels alone, in ns per element, and {@code steps} a recurrent layer's
 * per-step product alone, back to back and between stretches of gate work. C1, C2 and C3 record on one
 * tape cleared after every iteration, so the iterations reuse each other's storage; overhead
 * opens a tape per iteration, the cost a first-time user's loop pays. MGU times the minimal gated
 * unit, a cell written from plain ops ({@link MguCell}), against the built-in GRU with its fused
 * update, one after the other at the same size (2 layers of 128, batch 16, 32 steps, Adam).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark the standard configurations (C1, C2, C3, G, overhead), a cell of plain ops (MGU), "
                + "the activation kernels (activations) and the per-step recurrent product (steps).")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--config", defaultValue = "all",
            description = "C1, C2, C3, G, overhead, MGU (with the GRU it is compared with), activations, steps "
                    + "(a recurrent layer's per-step product at C2's and C3's shapes, back to back and between gate "
                    + "work), or all (default: ${DEFAULT-VALUE}: all but MGU, activations and steps)")
    String config;

    @Option(names = "--json", description = "print one JSON line per configuration")
    boolean json;

    @Option(names = "--seconds", defaultValue = "10",
            description = "timed seconds per configuration, after warm-up (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--warmup-seconds", defaultValue = "3",
            description = "the least warm-up per configuration, beside its warm-up iterations, so the JIT has "
                    + "compiled the kernels before the timing starts (float32 after float64 in one JVM waits for "
                    + "the compiler; default: ${DEFAULT-VALUE})")
    double warmupSeconds;

    @Option(names = "--min-iters", defaultValue = "3", description = "fewest timed iterations (default: ${DEFAULT-VALUE})")
    int minIterations;

    @Option(names = "--seed", defaultValue = "1234", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--dtype", defaultValue = "float64",
            description = "precision: float64, float32 or both (default: ${DEFAULT-VALUE})")
    String dtypeOption;

    @Option(names = "--compare", description = "a peer's JSON lines (torch_bench.py's output): print its figure "
            + "and the ratio beside each of ours")
    Path compare;

    @Option(names = "--workers", defaultValue = "1",
            description = "C2, C3: data-parallel shards of each batch, one thread and replica each (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--spark", paramLabel = "MASTER", description = "C2, C3: run the --workers shards on Apache Spark "
            + "with this master URL, e.g. local[2], instead of threads (./unroll adds Spark to the class path)")
    String sparkMaster;

    @Option(names = "--product-times", description = "after each timed configuration, its matrix products by shape "
            + "(time per iteration, GFLOP/s, kernel), the largest first, and their share of the iteration")
    boolean productTimes;

    private DType dtype = DType.F64;
    private PeerResults peers;
    /** The products tallied over the last timed iterations, and how many iterations that was; null when not asked. */
    private List<ProductTimes.Entry> products;
    private int productIterations;
    private final Map<DType, Double> ceilings = new java.util.EnumMap<>(DType.class);

    PrintStream out = System.out;
    final List<Map<String, Object>> results = new ArrayList<>();

    @Override
    public Integer call() {
        List<String> configs = config.equalsIgnoreCase("all") ? List.of("overhead", "C1", "C2", "C3", "G")
                : List.of(config.split(","));
        OptionChecks.positive("--seconds", seconds);
        OptionChecks.notNegative("--warmup-seconds", warmupSeconds);
        peers = compare == null ? null : PeerResults.read(compare);
        if (sparkMaster != null) {
            OptionChecks.sparkOnClassPath();
        }
        List<DType> dtypes = dtypeOption.equalsIgnoreCase("both") ? List.of(DType.F64, DType.F32)
                : List.of(DType.parse(dtypeOption));
        Corpus corpus = Corpus.load(null);
        for (String c : configs) {
            for (DType d : dtypes) {
                dtype = d;
                switch (c.toUpperCase(Locale.ROOT)) {
                    case "C1" -> report(c1(corpus));
                    case "C2" -> report(languageModel("C2", corpus, 32, 64, 256, 64, 2, CellType.LSTM));
                    case "C3" -> report(languageModel("C3", corpus, 64, 32, 1024, 128, 1, CellType.LSTM));
                    case "G" -> gemm().forEach(this::report);
                    case "OVERHEAD" -> report(overhead());
                    case "MGU" -> mguAgainstGru(corpus);
                    case "ACTIVATIONS" -> activations().forEach(this::report);
                    case "STEPS" -> steps().forEach(this::report);
                    default -> throw new IllegalArgumentException("unknown config '" + c
                            + "'; use C1, C2, C3, G, overhead, MGU, activations or steps");
                }
            }
        }
        return 0;
    }

    private void report(Map<String, Object> result) {
        if (peers != null) {
            addPeer(result);
        }
        results.add(result);
        if (json) {
            out.println(Json.line(result));
        } else {
            StringBuilder sb = new StringBuilder();
            result.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=').append(v));
            out.println(sb);
        }
        if (products != null) {
            reportProducts(result);
        }
    }

    /** Prints the products of the configuration just reported, by shape, and their share of its mean iteration. */
    private void reportProducts(Map<String, Object> result) {
        double total = products.stream().mapToLong(ProductTimes.Entry::nanos).sum() / 1e6 / productIterations;
        double mean = ((Number) result.get("mean_ms")).doubleValue();
        for (ProductTimes.Entry e : products) {
            if (json) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("config", result.get("config"));
                line.put("dtype", result.get("dtype"));
                line.put("product", e.describe(productIterations));
                line.put("ms_per_iter", round(e.nanos() / 1e6 / productIterations));
                line.put("gflops", round(e.gflops()));
                out.println(Json.line(line));
            } else {
                out.println("  " + e.describe(productIterations));
            }
        }
        String share = String.format(Locale.ROOT, "products: %.2f ms of a mean iteration of %.2f ms (%.0f %%)", total, mean,
                100 * total / mean);
        if (json) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("config", result.get("config"));
            line.put("dtype", result.get("dtype"));
            line.put("products", share);
            out.println(Json.line(line));
        } else {
            out.println("  " + share);
        }
        products = null;
    }

    /** Adds the peer's figure for the same configuration and precision, and the ratio (above 1: we are faster). */
    private void addPeer(Map<String, Object> result) {
        String config = String.valueOf(result.get("config"));
        int n = result.get("n") instanceof Integer size ? size : 0;
        Map<String, Object> peer = peers.find(config, String.valueOf(result.get("dtype")), n);
        if (peer == null) {
            return;
        }
        if (config.equals("G") && peer.get("gflops_median") instanceof Double gflops) {
            result.put("peer_gflops", round(gflops));
            result.put("vs_peer", round(((Number) result.get("gflops")).doubleValue() / gflops));
        } else if (peer.get("median_ms") instanceof Double ms) {
            result.put("peer_median_ms", round(ms));
            result.put("vs_peer", round(ms / ((Number) result.get("median_ms")).doubleValue()));
        }
    }

    /** C1: min-char-rnn's vanilla RNN, batch 1, 25 steps, hidden 100, one-hot input, Adagrad, clip [-5, 5]. */
    private Map<String, Object> c1(Corpus corpus) {
        int steps = 25;
        int[] data = corpus.ids();
        LanguageModel model = MinCharRnnCommand.initialModel(corpus.vocabularySize(), 100, seed);
        model.to(dtype);
        Adagrad adagrad = Adagrad.minCharRnn(model, 0.1);
        int[] position = {0};
        AtomicReference<List<State>> state = new AtomicReference<>(model.initialState(1));
        double[] smooth = {-Math.log(1.0 / corpus.vocabularySize()) * steps};
        Map<String, Object> r;
        try (Tape tape = Tape.record()) {
            r = time("C1", 200, steps, () -> {
                if (position[0] + steps + 1 >= data.length) {
                    position[0] = 0;
                    state.set(model.initialState(1));
                }
                int[][] x = new int[steps][1];
                int[][] y = new int[steps][1];
                for (int t = 0; t < steps; t++) {
                    x[t][0] = data[position[0] + t];
                    y[t][0] = data[position[0] + t + 1];
                }
                position[0] += steps;
                model.zeroGrad();
                LossAndState l = model.loss(x, y, state.get(), Reduction.SUM);
                tape.backward(l.loss());
                double loss = l.loss().item();
                state.set(List.of(l.finalState().get(0).detach()));
                tape.clear();
                GradClipping.clipGradValue(model.parameters(), 5);
                adagrad.step();
                smooth[0] = smooth[0] * 0.999 + loss * 0.001;
                return loss;
            });
        }
        r.put("smooth_loss_end", round(smooth[0]));
        return r;
    }

    /** The GRU, then the MGU of plain ops, same size and data; the MGU's row gives its time over the GRU's. */
    private void mguAgainstGru(Corpus corpus) {
        Map<String, Object> gru = languageModel("GRU", corpus, 16, 32, 128, 64, 2, CellType.GRU);
        report(gru);
        Map<String, Object> mgu = languageModel("MGU", corpus, 16, 32, 128, 64, 2, CellType.MGU);
        mgu.put("vs_gru", round(((Number) mgu.get("median_ms")).doubleValue() / ((Number) gru.get("median_ms")).doubleValue()));
        report(mgu);
    }

    /**
     * C2, C3 and MGU: a language model (embedding, recurrent layer, head) on random windows of the
     * text, zero initial state; Adam 2e-3 and global-norm clipping at 5, but plain SGD for C3.
     */
    private Map<String, Object> languageModel(String name, Corpus corpus, int batch, int steps, int hidden, int embedding,
            int layers, CellType cell) {
        int[] data = corpus.ids();
        int vocabulary = corpus.vocabularySize();
        Supplier<LanguageModel> build = () -> new LanguageModel(vocabulary, new Embedding(vocabulary, embedding, seed),
                cell.layer(embedding, hidden, RecurrentOptions.defaults().layers(layers), seed + 1), seed + 2);
        LanguageModel model = build.get();
        model.to(dtype);
        boolean adam = !name.equals("C3");
        Optimizer optimizer = adam ? new Adam(model, 2e-3) : new Sgd(model, 0.1);
        RandomGenerator rng = Randomness.seeded(seed);
        Supplier<int[][][]> batches = () -> {
            int[][] x = new int[steps][batch];
            int[][] y = new int[steps][batch];
            for (int b = 0; b < batch; b++) {
                int start = rng.nextInt(data.length - steps - 1);
                for (int t = 0; t < steps; t++) {
                    x[t][b] = data[start + t];
                    y[t][b] = data[start + t + 1];
                }
            }
            return new int[][][] {x, y};
        };
        Runnable update = () -> {
            if (adam) {
                GradClipping.clipGradNorm(model.parameters(), 5);
            }
            optimizer.step();
        };
        Map<String, Object> r;
        // one sharded iteration: a batch, the engine's mean gradient of its shards' summed losses, the update
        Function<ToDoubleFunction<ShardLoss<LanguageModel>>, DoubleSupplier> sharded = engine -> () -> {
            int[][][] xy = batches.get();
            model.zeroGrad();
            double loss = engine.applyAsDouble(shardLoss(xy));
            update.run();
            return loss;
        };
        if (sparkMaster != null) {
            long replicaSeed = seed;
            try (SparkBench spark = SparkBench.start(sparkMaster, model,
                    () -> LanguageModel.lstm(vocabulary, embedding, hidden, layers, replicaSeed), Math.max(1, workers))) {
                r = time(name, adam ? 5 : 2, (long) batch * steps, sharded.apply(spark::step));
            }
        } else if (workers > 1) {
            try (DataParallel<LanguageModel> parallel = DataParallel.onThreads(model, build, workers)) {
                r = time(name, adam ? 5 : 2, (long) batch * steps, sharded.apply(parallel::step));
            }
        } else {
            try (Tape tape = Tape.record()) {
                r = time(name, adam ? 5 : 2, (long) batch * steps, () -> {
                    int[][][] xy = batches.get();
                    model.zeroGrad();
                    Tensor l = model.loss(xy[0], xy[1], null, Reduction.MEAN).loss();
                    tape.backward(l);
                    double loss = l.item();
                    tape.clear();
                    update.run();
                    return loss;
                });
            }
        }
        r.put("workers", workers);
        r.put("engine", sparkMaster != null ? "spark " + sparkMaster : workers > 1 ? "threads" : "one thread");
        r.put("batch", batch);
        r.put("seq", steps);
        r.put("hidden", hidden);
        r.put("layers", layers);
        if (cell == CellType.LSTM) {
            double flops = lstmFlops(batch, steps, hidden, embedding, layers, vocabulary);
            double gflops = flops / (((Number) r.get("median_ms")).doubleValue() / 1000) / 1e9;
            r.put("gflop_per_iter", round(flops / 1e9));
            r.put("gflops", round(gflops));
            r.put("ceiling_gflops", round(ceiling()));
            r.put("ceiling_fraction", round(gflops / ceiling()));
        }
        r.put("cell", cell.name());
        return r;
    }

    /** The shard's columns of a batch {inputs, targets}, summed: the same work on threads and on Spark. */
    private static ShardLoss<LanguageModel> shardLoss(int[][][] xy) {
        return (replica, shard, shards) -> {
            int[][] x = Shards.columns(xy[0], shard, shards);
            Tensor sum = replica.loss(x, Shards.columns(xy[1], shard, shards), null, Reduction.SUM).loss();
            return new ShardLoss.Result(sum, (double) x.length * x[0].length);
        };
    }

    /**
     * Times iterations after warm-up (at least {@code warmup} iterations and {@link #warmupSeconds});
     * adds allocation and GC figures per iteration.
     */
    private Map<String, Object> time(String name, int warmup, long tokensPerIteration, DoubleSupplier iteration) {
        List<Double> warm = new ArrayList<>();
        double lastLoss = Double.NaN;
        long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        while (warm.size() < warmup || System.nanoTime() < warmupEnd) {
            long t0 = System.nanoTime();
            lastLoss = iteration.getAsDouble();
            warm.add((System.nanoTime() - t0) / 1e6);
        }
        double perIteration = Math.max(1e-3, median(warm.subList(warm.size() / 2, warm.size())));
        int count = Math.max(minIterations, (int) Math.round(seconds * 1000 / perIteration));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long allocated = threads.getThreadAllocatedBytes(thread);
        long gcs = gcCount();
        long gcMillis = gcMillis();
        List<Double> times = new ArrayList<>(count);
        if (productTimes) {
            ProductTimes.start();
        }
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            lastLoss = iteration.getAsDouble();
            times.add((System.nanoTime() - t0) / 1e6);
        }
        if (productTimes) {
            ProductTimes.stop();
            products = ProductTimes.entries();
            productIterations = count;
        }
        allocated = threads.getThreadAllocatedBytes(thread) - allocated;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("config", name);
        r.put("system", "unroll");
        r.put("dtype", dtype.label());
        double median = median(times);
        r.put("median_ms", round(median));
        r.put("min_ms", round(times.stream().mapToDouble(Double::doubleValue).min().orElse(0)));
        r.put("max_ms", round(times.stream().mapToDouble(Double::doubleValue).max().orElse(0)));
        r.put("mean_ms", round(times.stream().mapToDouble(Double::doubleValue).average().orElse(0)));
        r.put("tokens_per_s", round(tokensPerIteration / (median / 1000)));
        r.put("iters", count);
        r.put("warmup", warm.size());
        r.put("alloc_mb_per_iter", round(allocated / 1e6 / count));
        r.put("gc_per_iter", round((gcCount() - gcs) / (double) count));
        r.put("gc_ms_per_iter", round((gcMillis() - gcMillis) / (double) count));
        r.put("loss_last", round(lastLoss));
        r.put("kernels", kernels());
        r.put("threads", Kernels.threads());
        return r;
    }

    /**
     * The multiply-adds of one training iteration of an LSTM language model, times 2 (a flop
     * each) and 3 (the forward product and backward's two): per layer the input and the recurrent
     * product of every step, then the output head. Embedding lookups and elementwise work are
     * not counted.
     */
    static double lstmFlops(int batch, int steps, int hidden, int embedding, int layers, int vocabulary) {
        double macs = 0;
        for (int l = 0; l < layers; l++) {
            int in = l == 0 ? embedding : hidden;
            macs += (double) in * 4 * hidden + (double) hidden * 4 * hidden;
        }
        macs += (double) hidden * vocabulary;
        return 6 * macs * batch * steps;
    }

    /** The product kernel's GFLOP/s at n = 1024 in this precision: the ceiling an iteration's products could reach. */
    private double ceiling() {
        return ceilings.computeIfAbsent(dtype, d -> {
            double best = 0;
            for (Map<String, Object> g : results) {
                if ("G".equals(g.get("config")) && d.label().equals(g.get("dtype"))) {
                    best = Math.max(best, ((Number) g.get("gflops")).doubleValue());
                }
            }
            return best > 0 ? best : ((Number) squareProduct(1024, Math.min(seconds, 2)).get("gflops")).doubleValue();
        });
    }

    private String kernels() {
        return Kernels.products(dtype);
    }

    /**
     * G: square products a b through the matmul op in the precision, GFLOP/s at n = 256, 1024,
     * 2048. The product is recorded on a tape cleared after each one, so every product writes into
     * the storage the previous one left: the time is the product kernel's, without an allocation.
     */
    private List<Map<String, Object>> gemm() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int n : new int[] {256, 1024, 2048}) {
            rows.add(squareProduct(n, Math.min(seconds, 4)));
        }
        return rows;
    }

    /** Times C = A B for n x n matrices of this precision for about {@code budget} seconds. */
    private Map<String, Object> squareProduct(int n, double budget) {
        Tensor a = Tensor.uniform(n, n, -1, 1, seed).to(dtype).requiresGrad(true);
        Tensor b = Tensor.uniform(n, n, -1, 1, seed + 1).to(dtype);
        double flops = 2.0 * n * n * n;
        List<Double> times = new ArrayList<>();
        // the product through the matmul op on a tape cleared after each, so no output is allocated
        try (Tape tape = Tape.record()) {
            a.matmul(b);
            tape.clear();
            long start = System.nanoTime();
            while (times.size() < 3 || (System.nanoTime() - start) / 1e9 < budget) {
                long t0 = System.nanoTime();
                a.matmul(b);
                times.add((System.nanoTime() - t0) / 1e6);
                tape.clear();
            }
        }
        return productRow("G", Map.of("n", n), times, flops);
    }

    /**
     * The row G and steps report for a product timed {@code times} (ms) over: which product it
     * was, then median, min and max ms and the GFLOP/s at the median and at the best.
     */
    private Map<String, Object> productRow(String config, Map<String, Object> which, List<Double> times, double flops) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("config", config);
        r.put("system", "unroll");
        r.put("dtype", dtype.label());
        r.putAll(which);
        double best = times.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double median = median(times);
        r.put("median_ms", round(median));
        r.put("min_ms", round(best));
        r.put("max_ms", round(times.stream().mapToDouble(Double::doubleValue).max().orElse(0)));
        r.put("gflops", round(flops / (median / 1000) / 1e9));
        r.put("gflops_best", round(flops / (best / 1000) / 1e9));
        r.put("tokens_per_s", 0);
        r.put("kernels", kernels());
        return r;
    }

    /** Elementwise work between two per-step products in {@link #steps}: about what a step's gates take. */
    private static final long STEP_GAP_NANOS = 500_000;

    /** Timesteps recorded on one tape in {@link #steps}: the weight is copied for the kernel once per tape, as per iteration. */
    private static final int STEPS_PER_TAPE = 16;

    /**
     * steps: the product every timestep of a recurrent layer makes, h W_hh^T through the linear op
     * on a tape with W a parameter, at C2's (32 x 256 by 256 x 1024) and C3's (64 x 1024 by 1024 x
     * 4096) shapes. Each shape is timed twice: back to back, and with half a millisecond of tanh on
     * the caller before each product, as a step's gate work comes between two products in training.
     * The second is what a step pays. The gap between the two shows what waking a parked product
     * thread (and the caches the gate work displaced) costs on this machine.
     */
    private List<Map<String, Object>> steps() {
        List<Map<String, Object>> rows = new ArrayList<>();
        int[][] shapes = {{32, 256}, {64, 1024}};
        String[] names = {"C2", "C3"};
        for (int s = 0; s < shapes.length; s++) {
            int batch = shapes[s][0];
            int hidden = shapes[s][1];
            Tensor h = Tensor.uniform(batch, hidden, -1, 1, seed).to(dtype);
            Tensor w = Tensor.uniform(4 * hidden, hidden, -0.1, 0.1, seed + 1).to(dtype).requiresGrad(true);
            double[] gates = Tensor.uniform(1, 4 * batch * hidden, -4, 4, seed + 2).data();
            double[] activated = new double[gates.length];
            for (boolean gap : new boolean[] {false, true}) {
                List<Double> times = new ArrayList<>();
                double budget = Math.min(seconds, 4);
                long start = System.nanoTime();
                while (times.size() < 3 * STEPS_PER_TAPE || (System.nanoTime() - start) / 1e9 < budget) {
                    try (Tape tape = Tape.record()) {
                        for (int step = 0; step < STEPS_PER_TAPE; step++) {
                            long until = System.nanoTime() + (gap ? STEP_GAP_NANOS : 0);
                            while (System.nanoTime() < until) {
                                Activations.tanh(gates, 0, activated, 0, gates.length);
                            }
                            long t0 = System.nanoTime();
                            MatrixOps.linear(h, w, null);
                            times.add((System.nanoTime() - t0) / 1e6);
                        }
                    }
                }
                Map<String, Object> which = new LinkedHashMap<>();
                which.put("shape", names[s] + " " + batch + "x" + hidden + "x" + 4 * hidden);
                which.put("gap_us", gap ? STEP_GAP_NANOS / 1000 : 0);
                rows.add(productRow("steps", which, times, 2.0 * batch * hidden * 4 * hidden));
            }
        }
        return rows;
    }

    /** The cost of one recorded elementwise op on a 1x1 tensor, forward plus its share of backward. */
    private Map<String, Object> overhead() {
        Tensor x = Tensor.scalar(0.5).to(dtype).requiresGrad(true);
        int ops = 100_000;
        Map<String, Object> r = time("overhead", 20, ops, () -> {
            try (Tape tape = Tape.record()) {
                Tensor y = x;
                for (int i = 0; i < ops; i++) {
                    y = y.addScalar(1e-9);
                }
                tape.backward(y);
                return y.item();
            }
        });
        r.put("ns_per_op", round(((Number) r.get("median_ms")).doubleValue() * 1e6 / ops));
        r.put("ops_per_iter", ops);
        return r;
    }

    /**
     * activations: ns per element of the tanh and sigmoid kernels over 4,096 values drawn from
     * [-8, 8], in the precision being measured (float32 runs the float kernels).
     */
    private List<Map<String, Object>> activations() {
        Tensor values = Tensor.uniform(1, 4096, -8, 8, seed);
        double[] x = values.data();
        double[] y = new double[x.length];
        float[] xf = values.to(DType.F32).dataF32();
        float[] yf = new float[xf.length];
        boolean floats = dtype == DType.F32;
        int passes = 100;
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String function : List.of("tanh", "sigmoid")) {
            boolean tanh = function.equals("tanh");
            Map<String, Object> r = time("activations", 200, (long) passes * x.length, () -> {
                for (int p = 0; p < passes; p++) {
                    if (floats && tanh) {
                        Activations.tanh(xf, 0, yf, 0, xf.length);
                    } else if (floats) {
                        Activations.sigmoid(xf, 0, yf, 0, xf.length);
                    } else if (tanh) {
                        Activations.tanh(x, 0, y, 0, x.length);
                    } else {
                        Activations.sigmoid(x, 0, y, 0, x.length);
                    }
                }
                return floats ? yf[0] : y[0];
            });
            r.put("function", function);
            r.put("ns_per_element", round(((Number) r.get("median_ms")).doubleValue() * 1e6 / ((long) passes * x.length)));
            r.put("activations", Activations.describe());
            rows.add(r);
        }
        return rows;
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length == 0 ? 0 : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    private static long gcMillis() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionTime());
        }
        return n;
    }
}
