using AnnLab.Optimization;

namespace AnnLab.Tests.Optimization;

// "The reference" below is an independent NumPy L-BFGS (python3, numpy 1.24.2, scipy 1.10.1): Nocedal and
// Wright Algorithm 7.4/7.5 with scipy's scalar_search_wolfe2, the search that LineSearch.StrongWolfe ports,
// c1 1e-4, c2 0.9, the same first step and the same pair test. The loop:
//   def lbfgs(fg, x, m=10, gtol=1e-5, maxiter=200, c1=1e-4, c2=0.9):
//       x = np.array(x, float); f, g = fg(x); nfev = 1; S, Y = [], []; k = 0
//       while True:
//           if np.abs(g).max() <= gtol: status = "converged"; break
//           if k >= maxiter: status = "maxiter"; break
//           q = g.copy(); alphas = []
//           for s, y in reversed(list(zip(S, Y))):
//               a = (s @ q) / (y @ s); alphas.append(a); q -= a * y
//           if S: q *= (S[-1] @ Y[-1]) / (Y[-1] @ Y[-1])
//           for (s, y), a in zip(zip(S, Y), reversed(alphas)):
//               b = (y @ q) / (y @ s); q += s * (a - b)
//           p = -q; d0 = g @ p
//           old = f + np.sqrt(g @ g) / 2 if not S else None   # first step min(1, 1.01/||g||), later 1
//           cache = {}
//           def ev(a):
//               nonlocal nfev
//               if a not in cache: nfev += 1; cache[a] = fg(x + a * p)
//               return cache[a]
//           alpha, fnew, _, _ = scalar_search_wolfe2(lambda a: ev(a)[0], lambda a: ev(a)[1] @ p, f, old, d0, c1, c2)
//           if alpha is None: status = "linesearch"; break
//           xn = x + alpha * p; fn, gn = ev(alpha); s, y = xn - x, gn - g
//           if s @ y > np.finfo(float).eps * (y @ y):
//               S.append(s); Y.append(y)
//               if len(S) > m: S.pop(0); Y.pop(0)
//           x, f, g = xn, fn, gn; k += 1
//       return status, k, nfev, f, x
public class LimitedMemoryBfgsTests
{
    private const int QuadraticSize = 10;

    [Fact]
    public void Quadratic_converges_to_the_solution_of_Ax_equals_b()
    {
        // The reference with gtol 1e-8: converged, 20 iterations, 22 evaluations, f = -28.31632653061225,
        // max |x - A^-1 b| = 9.3e-10. (scipy's L-BFGS-B with gtol 1e-9, ftol 0: 23 iterations, 77 evaluations.)
        (double[,] a, double[] b) = TestProblems.Quadratic();
        double[] expected = TestProblems.SolveByGaussianElimination(a, b);
        var x = new double[QuadraticSize];

        var result = LimitedMemoryBfgs.Minimize(TestProblems.QuadraticCost(a, b), x, new LbfgsOptions { GradientTolerance = 1e-8 });

        Assert.Equal(OptimizerStatus.Converged, result.Status);
        for (int i = 0; i < QuadraticSize; i++)
        {
            Assert.Equal(expected[i], x[i], 1e-6);
        }

        Assert.Equal(20, result.Iterations);
        Assert.Equal(22, result.FunctionEvaluations);
        Assert.Equal(-28.31632653061225, result.Cost, 1e-12);
        Assert.InRange(result.GradientNorm, 0, 1e-8);
    }

    [Fact]
    public void Quadratic_in_float_converges_within_1e_3()
    {
        (double[,] a, double[] b) = TestProblems.Quadratic();
        double[] expected = TestProblems.SolveByGaussianElimination(a, b);
        var x = new float[QuadraticSize];

        var result = LimitedMemoryBfgs.Minimize<float>(
            (theta, gradient) =>
            {
                double cost = 0;
                for (int i = 0; i < QuadraticSize; i++)
                {
                    double ax = 0;
                    for (int j = 0; j < QuadraticSize; j++)
                    {
                        ax += a[i, j] * theta[j];
                    }

                    gradient[i] = (float)(ax - b[i]);
                    cost += 0.5 * theta[i] * ax - b[i] * theta[i];
                }

                return cost;
            },
            x,
            new LbfgsOptions { GradientTolerance = 1e-4 });

        Assert.Equal(OptimizerStatus.Converged, result.Status);
        for (int i = 0; i < QuadraticSize; i++)
        {
            Assert.Equal(expected[i], x[i], 1e-3);
        }
    }

    [Fact]
    public void Rosenbrock_in_float_reaches_one_one()
    {
        float[] x = [-1.2f, 1];

        var result = LimitedMemoryBfgs.Minimize<float>(
            (theta, gradient) =>
            {
                double x0 = theta[0], r = theta[1] - x0 * x0;
                gradient[0] = (float)(-400 * x0 * r - 2 * (1 - x0));
                gradient[1] = (float)(200 * r);
                return 100 * r * r + (1 - x0) * (1 - x0);
            },
            x,
            new LbfgsOptions { GradientTolerance = 1e-3 });

        Assert.Equal(OptimizerStatus.Converged, result.Status);
        Assert.Equal(1, x[0], 1e-3);
        Assert.Equal(1, x[1], 1e-3);
    }

    [Fact]
    public void Rosenbrock_converges_to_one_one_on_the_reference_path()
    {
        // The reference from (-1.2, 1), gtol 1e-5: converged, 39 iterations, 57 evaluations,
        // f = 1.1068714274909757e-17, x = (0.9999999998387199, 0.9999999993451342); costs after
        // iterations 1..4: 11.569272759160942, 4.412751021650799, 4.114212956825149, 4.1045017272609705.
        // scipy.optimize.minimize(method='L-BFGS-B', gtol 1e-5, maxcor 10) with its dcsrch line search:
        // 36 iterations, 44 evaluations, x = (0.99999895, 0.99999802).
        double[] x = [-1.2, 1];
        var costs = new List<double>();

        var result = LimitedMemoryBfgs.Minimize<double>(TestProblems.Rosenbrock, x, new LbfgsOptions(), (_, cost, _, _) => costs.Add(cost));

        Assert.Equal(OptimizerStatus.Converged, result.Status);
        Assert.Equal(1, x[0], 1e-4);
        Assert.Equal(1, x[1], 1e-4);
        Assert.Equal(39, result.Iterations);
        Assert.Equal(57, result.FunctionEvaluations);
        Assert.Equal(1.1068714274909757e-17, result.Cost, 1e-20);
        Assert.Equal(0.9999999998387199, x[0], 1e-12);
        Assert.Equal(0.9999999993451342, x[1], 1e-12);
        Assert.Equal(
            [11.569272759160942, 4.412751021650799, 4.114212956825149, 4.1045017272609705],
            costs.Take(4),
            (expected, actual) => Math.Abs(expected - actual) <= 1e-12);
    }

    [Fact]
    public void A_memory_of_three_pairs_follows_the_reference()
    {
        // The reference with m = 3 (the ring of pairs wraps after 3 iterations): converged, 35 iterations,
        // 47 evaluations, f = 1.5027106386452896e-12, x = (0.9999987769828114, 0.9999975622975417).
        double[] x = [-1.2, 1];

        var result = LimitedMemoryBfgs.Minimize<double>(TestProblems.Rosenbrock, x, new LbfgsOptions { Memory = 3 });

        Assert.Equal(OptimizerStatus.Converged, result.Status);
        Assert.Equal(35, result.Iterations);
        Assert.Equal(47, result.FunctionEvaluations);
        // Rounding (NumPy's dot products sum in another order) moves x here by 4e-13 and 7e-13, so f by 1e-18.
        Assert.Equal(1.5027106386452896e-12, result.Cost, 1e-17);
        Assert.Equal(0.9999987769828114, x[0], 1e-12);
        Assert.Equal(0.9999975622975417, x[1], 1e-12);
    }

    [Fact]
    public void Too_few_iterations_gives_MaxIterations()
    {
        // The reference with maxiter 5: 5 iterations, 7 evaluations, f = 4.100430694720583,
        // x = (-1.0226210662695336, 1.0554670923197849).
        double[] x = [-1.2, 1];

        var result = LimitedMemoryBfgs.Minimize<double>(TestProblems.Rosenbrock, x, new LbfgsOptions { MaxIterations = 5 });

        Assert.Equal(OptimizerStatus.MaxIterations, result.Status);
        Assert.Equal(5, result.Iterations);
        Assert.Equal(7, result.FunctionEvaluations);
        Assert.Equal(4.100430694720583, result.Cost, 1e-12);
        Assert.Equal(-1.0226210662695336, x[0], 1e-12);
        Assert.Equal(1.0554670923197849, x[1], 1e-12);
        Assert.Equal(result.Cost, TestProblems.Rosenbrock(x, new double[2]), 1e-15);
    }

    [Fact]
    public void A_rejected_pair_leaves_the_stored_pairs_alone()
    {
        // f' = -1 except on [0, 1], where f' = -1 + sin^2(pi x) / 2 (f is C2, unbounded below). Memory 1.
        // Iteration 1 from -0.5: p = -g = 1, first step min(1, 1.01 / 1) = 1 lands on 0.5 with f' = -0.5,
        // |-0.5| <= 0.9 |-1|: accepted. Pair s = 1, y = 0.5, so H = s / y = 2.
        // Iteration 2: p = -2 (-0.5) = 1, slope -0.5; every step 1, 2, ..., 512 lands where f' = -1, which
        // is steeper than 0.9 * 0.5, so the bracketing ends at 512 with sufficient decrease only: x = 512.5.
        // Its pair s = 512, y = -1 - (-0.5) = -0.5 has s'y < 0 and is rejected, so H stays 2.
        // Iteration 3: p = -2 (-1) = 2, steps 1..512 again: x = 512.5 + 1024 = 1536.5. 1 + 1 + 10 + 10 evaluations.
        double[] x = [-0.5];

        var result = LimitedMemoryBfgs.Minimize<double>(
            (theta, gradient) =>
            {
                double t = theta[0];
                double s = Math.Sin(Math.PI * t);
                gradient[0] = t is > 0 and < 1 ? -1 + 0.5 * s * s : -1;
                double bump = 0.5 * (Math.Clamp(t, 0, 1) / 2 - Math.Sin(2 * Math.PI * Math.Clamp(t, 0, 1)) / (4 * Math.PI));
                return -t + bump;
            },
            x,
            new LbfgsOptions { Memory = 1, MaxIterations = 3 });

        Assert.Equal(OptimizerStatus.MaxIterations, result.Status);
        Assert.Equal(22, result.FunctionEvaluations);
        Assert.Equal(1536.5, x[0], 1e-9);
    }

    [Fact]
    public void Zero_iterations_evaluates_the_start_only()
    {
        double[] x = [-1.2, 1];

        var result = LimitedMemoryBfgs.Minimize<double>(TestProblems.Rosenbrock, x, new LbfgsOptions { MaxIterations = 0 });

        Assert.Equal(new LbfgsResult(OptimizerStatus.MaxIterations, 0, 1, result.Cost, result.GradientNorm), result);
        Assert.Equal(24.2, result.Cost, 1e-12); // 100 (1 - 1.44)^2 + 2.2^2 = 19.36 + 4.84
        Assert.Equal(215.6, result.GradientNorm, 1e-12); // |-400 (-1.2)(-0.44) - 2 (2.2)| = |-211.2 - 4.4|
        Assert.Equal([-1.2, 1], x);
    }

    [Fact]
    public void Convergence_on_the_last_allowed_iteration_counts_as_Converged()
    {
        double[] x = [-1.2, 1];

        var result = LimitedMemoryBfgs.Minimize<double>(TestProblems.Rosenbrock, x, new LbfgsOptions { MaxIterations = 39 });

        Assert.Equal(OptimizerStatus.Converged, result.Status);
        Assert.Equal(39, result.Iterations);
    }

    [Fact]
    public void A_gradient_that_lies_gives_LineSearchFailed_at_the_start()
    {
        // The negated gradient makes -g point uphill: bracketing evaluates 1 step and zoom 11, all worse.
        double[] start = [-1.2, 1];
        double[] x = [.. start];
        double startCost = TestProblems.Rosenbrock(start, new double[2]);

        var result = LimitedMemoryBfgs.Minimize<double>(
            (theta, gradient) =>
            {
                double cost = TestProblems.Rosenbrock(theta, gradient);
                gradient[0] = -gradient[0];
                gradient[1] = -gradient[1];
                return cost;
            },
            x,
            new LbfgsOptions());

        Assert.Equal(OptimizerStatus.LineSearchFailed, result.Status);
        Assert.Equal(0, result.Iterations);
        Assert.Equal(1 + 1 + LineSearch.MaxZoomSteps, result.FunctionEvaluations);
        Assert.Equal(startCost, result.Cost);
        Assert.Equal(start, x);
    }

    [Fact]
    public void A_non_smooth_function_gives_LineSearchFailed_at_the_best_point_evaluated()
    {
        // f = |x0| + 2 |x1|: across the kink the curvature condition cannot be met.
        double[] x = [0.3, -0.5];
        var evaluated = new List<(double Cost, double X0, double X1)>();

        var result = LimitedMemoryBfgs.Minimize<double>(
            (theta, gradient) =>
            {
                gradient[0] = theta[0] >= 0 ? 1 : -1;
                gradient[1] = theta[1] >= 0 ? 2 : -2;
                double cost = Math.Abs(theta[0]) + 2 * Math.Abs(theta[1]);
                evaluated.Add((cost, theta[0], theta[1]));
                return cost;
            },
            x,
            new LbfgsOptions());

        Assert.Equal(OptimizerStatus.LineSearchFailed, result.Status);
        var best = evaluated.MinBy(e => e.Cost);
        Assert.True(best.Cost < evaluated[0].Cost);
        Assert.Equal(best.Cost, result.Cost);
        Assert.Equal([best.X0, best.X1], x);
        Assert.Equal(evaluated.Count, result.FunctionEvaluations);
    }

    [Fact]
    public void A_non_finite_start_gives_Diverged_and_leaves_x()
    {
        double[] x = [1, 2];

        var result = LimitedMemoryBfgs.Minimize<double>(
            (_, gradient) =>
            {
                gradient.Fill(1);
                return double.PositiveInfinity;
            },
            x,
            new LbfgsOptions());

        Assert.Equal(OptimizerStatus.Diverged, result.Status);
        Assert.Equal(0, result.Iterations);
        Assert.Equal(1, result.FunctionEvaluations);
        Assert.Equal([1, 2], x);
    }

    [Fact]
    public void A_cost_that_turns_NaN_everywhere_gives_Diverged_at_the_best_finite_point()
    {
        double[] x = [-1.2, 1];
        double startCost = TestProblems.Rosenbrock(x, new double[2]);
        int calls = 0;
        double lowestFinite = double.PositiveInfinity;
        double[] lowestAt = [];

        var result = LimitedMemoryBfgs.Minimize<double>(
            (theta, gradient) =>
            {
                double cost = TestProblems.Rosenbrock(theta, gradient);
                if (++calls >= 20)
                {
                    gradient.Fill(double.NaN);
                    return double.NaN;
                }

                if (cost < lowestFinite)
                {
                    lowestFinite = cost;
                    lowestAt = theta.ToArray();
                }

                return cost;
            },
            x,
            new LbfgsOptions());

        Assert.Equal(OptimizerStatus.Diverged, result.Status);
        Assert.True(result.Cost < startCost);
        Assert.Equal(lowestFinite, result.Cost);
        Assert.Equal(lowestAt, x);
        Assert.True(double.IsFinite(result.GradientNorm));
    }

    [Fact]
    public void A_NaN_past_a_barrier_makes_the_line_search_back_off()
    {
        // f = 2 (x - 1)^2 for x > 0.5 and NaN from 0.5 down (as log(x - 0.5)). From 1.2, g = 0.8, so the
        // first trial step min(1, 1.01 / 0.8) = 1 lands on 1.2 - 0.8 = 0.4, in the NaN region: the search must back off.
        double[] x = [1.2];
        int nanCount = 0;

        var result = LimitedMemoryBfgs.Minimize<double>(
            (theta, gradient) =>
            {
                if (theta[0] <= 0.5)
                {
                    nanCount++;
                    gradient[0] = double.NaN;
                    return double.NaN;
                }

                gradient[0] = 4 * (theta[0] - 1);
                return 2 * (theta[0] - 1) * (theta[0] - 1);
            },
            x,
            new LbfgsOptions());

        Assert.Equal(OptimizerStatus.Converged, result.Status);
        Assert.True(nanCount > 0);
        Assert.Equal(1, x[0], 1e-5);
    }

    [Fact]
    public void OnIteration_reports_every_iteration_in_order_with_falling_costs()
    {
        double[] x = [-1.2, 1];
        var reports = new List<(int Iteration, double Cost, double GradientNorm)>();

        var result = LimitedMemoryBfgs.Minimize<double>(
            TestProblems.Rosenbrock, x, new LbfgsOptions(), (k, cost, norm, _) => reports.Add((k, cost, norm)));

        Assert.Equal(Enumerable.Range(1, result.Iterations), reports.Select(r => r.Iteration));
        for (int i = 1; i < reports.Count; i++)
        {
            Assert.True(reports[i].Cost < reports[i - 1].Cost, $"cost rose at iteration {reports[i].Iteration}");
        }

        Assert.Equal(result.Cost, reports[^1].Cost);
        Assert.Equal(result.GradientNorm, reports[^1].GradientNorm);
    }

    [Fact]
    public void Cancellation_throws_and_leaves_the_current_iterate_in_x()
    {
        double[] afterTwo = [-1.2, 1];
        LimitedMemoryBfgs.Minimize<double>(TestProblems.Rosenbrock, afterTwo, new LbfgsOptions { MaxIterations = 2 });
        double[] x = [-1.2, 1];
        using var cts = new CancellationTokenSource();

        Assert.Throws<OperationCanceledException>(() => LimitedMemoryBfgs.Minimize<double>(
            TestProblems.Rosenbrock,
            x,
            new LbfgsOptions(),
            (k, _, _, _) =>
            {
                if (k == 2)
                {
                    cts.Cancel();
                }
            },
            ct: cts.Token));

        Assert.Equal(afterTwo, x);
    }

    [Fact]
    public void Iterations_allocate_nothing()
    {
        // Everything is allocated once per call, so 2 and 20 iterations allocate the same bytes.
        LbfgsOptions two = new() { MaxIterations = 2 };
        LbfgsOptions twenty = new() { MaxIterations = 20 };
        CostFunction<double> f = TestProblems.Rosenbrock;
        double[] x = [-1.2, 1];
        LimitedMemoryBfgs.Minimize(f, x, twenty); // JIT and tiering out of the way

        long AllocatedBy(LbfgsOptions options)
        {
            x[0] = -1.2;
            x[1] = 1;
            long before = GC.GetAllocatedBytesForCurrentThread();
            var result = LimitedMemoryBfgs.Minimize(f, x, options);
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(options.MaxIterations, result.Iterations);
            return bytes;
        }

        Assert.Equal(AllocatedBy(two), AllocatedBy(twenty));
    }

    [Fact]
    public void An_empty_vector_converges_at_once()
    {
        var result = LimitedMemoryBfgs.Minimize<double>((_, _) => 7, Span<double>.Empty, new LbfgsOptions());

        Assert.Equal(new LbfgsResult(OptimizerStatus.Converged, 0, 1, 7, 0), result);
    }

    [Theory]
    [InlineData(-1, 1e-5, 10, 1e-4, 0.9, "MaxIterations")]
    [InlineData(200, -1e-5, 10, 1e-4, 0.9, "GradientTolerance")]
    [InlineData(200, double.NaN, 10, 1e-4, 0.9, "GradientTolerance")]
    [InlineData(200, 1e-5, 0, 1e-4, 0.9, "Memory")]
    [InlineData(200, 1e-5, 10, 0, 0.9, "C1")]
    [InlineData(200, 1e-5, 10, 0.95, 0.9, "C1")]
    [InlineData(200, 1e-5, 10, 1e-4, 1, "C2")]
    public void Options_out_of_range_throw(int maxIterations, double tolerance, int memory, double c1, double c2, string name)
    {
        var options = new LbfgsOptions
        {
            MaxIterations = maxIterations,
            GradientTolerance = tolerance,
            Memory = memory,
            C1 = c1,
            C2 = c2,
        };
        double[] x = [0, 0];

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => LimitedMemoryBfgs.Minimize<double>(TestProblems.Rosenbrock, x, options));

        Assert.Equal(name, e.ParamName);
    }
}
