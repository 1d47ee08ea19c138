using AnnLab.Optimization;

namespace AnnLab.Tests.Optimization;

// Reference numbers come from scipy 1.10.1. "scipy's wolfe2 path" means scipy.optimize.minimize(method='CG')
// with line_search_wolfe1 (MINPACK dcsrch) patched to fail, so that scipy falls back to
// line_search_wolfe2, the Nocedal and Wright search that ConjugateGradient implements:
//   import scipy.optimize._optimize as oo; oo.line_search_wolfe1 = lambda *a, **k: (None,) * 6
public class ConjugateGradientTests
{
    private const int QuadraticSize = 10;

    [Fact]
    public void Quadratic_converges_to_the_exact_solution_within_n_plus_one_iterations()
    {
        // A = H D H with H the Householder reflection of v = (1..10) and D = diag(1..10): SPD,
        // condition number 10. With exact line searches CG ends in n = 10 steps; the strong Wolfe
        // search is exact on a quadratic only when it interpolates, and here it takes n + 1 = 11
        // iterations and 23 evaluations, as scipy's wolfe2 path does (scipy's default dcsrch path: 10
        // iterations at gtol 1e-8). Steepest descent with exact steps needs 105 iterations for gtol 1e-9.
        (double[,] a, double[] b) = TestProblems.Quadratic();
        double[] expected = TestProblems.SolveByGaussianElimination(a, b);
        var x = new double[QuadraticSize];

        var result = ConjugateGradient.Minimize(
            TestProblems.QuadraticCost(a, b), x, new ConjugateGradientOptions { GradientTolerance = 1e-9 });

        Assert.Equal(OptimizerStatus.Converged, result.Status);
        Assert.InRange(result.Iterations, 1, QuadraticSize + 1);
        for (int i = 0; i < QuadraticSize; i++)
        {
            Assert.Equal(expected[i], x[i], 1e-6);
        }

        // scipy's wolfe2 path: f* = -28.31632653061224.
        Assert.Equal(-28.31632653061224, result.Cost, 1e-10);
        Assert.InRange(result.GradientNorm, 0, 1e-9);
    }

    [Fact]
    public void Quadratic_in_float_converges_within_1e_3()
    {
        (double[,] a, double[] b) = TestProblems.Quadratic();
        double[] expected = TestProblems.SolveByGaussianElimination(a, b);
        var x = new float[QuadraticSize];

        var result = ConjugateGradient.Minimize<float>(
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
            new ConjugateGradientOptions { GradientTolerance = 1e-4 });

        Assert.Equal(OptimizerStatus.Converged, result.Status);
        for (int i = 0; i < QuadraticSize; i++)
        {
            Assert.Equal(expected[i], x[i], 1e-3);
        }
    }

    [Fact]
    public void Rosenbrock_converges_to_one_one()
    {
        // scipy.optimize.fmin_cg (default dcsrch path) from (-1.2, 1): 36 iterations, 78 evaluations,
        // x = (1.000000005, 0.999999997), f = 1.9e-14.
        double[] x = [-1.2, 1];

        var result = ConjugateGradient.Minimize<double>(TestProblems.Rosenbrock, x, new ConjugateGradientOptions());

        Assert.Equal(OptimizerStatus.Converged, result.Status);
        Assert.Equal(1, x[0], 1e-4);
        Assert.Equal(1, x[1], 1e-4);
        Assert.InRange(result.GradientNorm, 0, 1e-5);
        Assert.InRange(result.Cost, 0, 1e-9);
    }

    [Fact]
    public void Rosenbrock_takes_the_same_path_as_scipy_wolfe2()
    {
        // scipy's wolfe2 path from (-1.2, 1), gtol 1e-5: status 0, nit 26, nfev 91,
        // f = 1.2808865453835998e-11, max |g| = 2.8267353791022742e-06,
        // x = (1.0000035761556694, 1.0000071664578045); costs after iterations 1..4:
        // 4.130132204266522, 3.7609628060311193, 2.5963824708145955, 2.4288177879836645.
        double[] x = [-1.2, 1];
        var costs = new List<double>();

        var result = ConjugateGradient.Minimize<double>(
            TestProblems.Rosenbrock, x, new ConjugateGradientOptions(), (_, cost, _, _) => costs.Add(cost));

        Assert.Equal(26, result.Iterations);
        Assert.Equal(91, result.FunctionEvaluations);
        Assert.Equal(1.2808865453835998e-11, result.Cost, 1e-16);
        Assert.Equal(1.0000035761556694, x[0], 1e-12);
        Assert.Equal(1.0000071664578045, x[1], 1e-12);
        Assert.Equal(
            [4.130132204266522, 3.7609628060311193, 2.5963824708145955, 2.4288177879836645],
            costs.Take(4),
            (expected, actual) => Math.Abs(expected - actual) <= 1e-12);
    }

    [Fact]
    public void Rosenbrock_from_two_two_needs_the_descent_condition()
    {
        // scipy's wolfe2 path from (2, 2): status 0, nit 17, nfev 56, f = 1.3018714070358985e-10,
        // x = (1.0000114008456509, 1.0000228474128536). Accepting every strong Wolfe step without
        // the sufficient descent test for the Polak-Ribiere+ direction ends instead in a failed
        // line search after 22 iterations.
        double[] x = [2, 2];

        var result = ConjugateGradient.Minimize<double>(TestProblems.Rosenbrock, x, new ConjugateGradientOptions());

        Assert.Equal(OptimizerStatus.Converged, result.Status);
        Assert.Equal(17, result.Iterations);
        Assert.Equal(56, result.FunctionEvaluations);
        Assert.Equal(1.3018714070358985e-10, result.Cost, 1e-16);
        Assert.Equal(1.0000114008456509, x[0], 1e-12);
        Assert.Equal(1.0000228474128536, x[1], 1e-12);
    }

    [Fact]
    public void Convergence_on_the_last_allowed_iteration_counts_as_Converged()
    {
        // TestProblems.Rosenbrock converges at iteration 26 (see above); scipy's wolfe2 path with maxiter=26
        // reports status 1 ("Maximum number of iterations has been exceeded"). Here Converged wins.
        double[] x = [-1.2, 1];

        var result = ConjugateGradient.Minimize<double>(
            TestProblems.Rosenbrock, x, new ConjugateGradientOptions { MaxIterations = 26 });

        Assert.Equal(OptimizerStatus.Converged, result.Status);
        Assert.Equal(26, result.Iterations);
    }

    [Fact]
    public void Iterations_allocate_nothing()
    {
        // Everything is allocated once per call, so 2 and 20 iterations allocate the same bytes.
        ConjugateGradientOptions two = new() { MaxIterations = 2 };
        ConjugateGradientOptions twenty = new() { MaxIterations = 20 };
        CostFunction<double> f = TestProblems.Rosenbrock;
        double[] x = [-1.2, 1];
        ConjugateGradient.Minimize(f, x, twenty); // JIT and tiering out of the way

        long AllocatedBy(ConjugateGradientOptions options)
        {
            x[0] = -1.2;
            x[1] = 1;
            long before = GC.GetAllocatedBytesForCurrentThread();
            var result = ConjugateGradient.Minimize(f, x, options);
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(options.MaxIterations, result.Iterations);
            return bytes;
        }

        Assert.Equal(AllocatedBy(two), AllocatedBy(twenty));
    }

    [Fact]
    public void Too_few_iterations_gives_MaxIterations()
    {
        double[] x = [-1.2, 1];

        var result = ConjugateGradient.Minimize<double>(
            TestProblems.Rosenbrock, x, new ConjugateGradientOptions { MaxIterations = 3 });

        Assert.Equal(OptimizerStatus.MaxIterations, result.Status);
        Assert.Equal(3, result.Iterations);
        // scipy's wolfe2 path, cost after iteration 3.
        Assert.Equal(2.5963824708145955, result.Cost, 1e-12);
        double[] gradient = new double[2];
        Assert.Equal(result.Cost, TestProblems.Rosenbrock(x, gradient), 1e-15);
    }

    [Fact]
    public void Zero_iterations_evaluates_the_start_only()
    {
        double[] x = [-1.2, 1];

        var result = ConjugateGradient.Minimize<double>(
            TestProblems.Rosenbrock, x, new ConjugateGradientOptions { MaxIterations = 0 });

        Assert.Equal(OptimizerStatus.MaxIterations, result.Status);
        Assert.Equal(0, result.Iterations);
        Assert.Equal(1, result.FunctionEvaluations);
        Assert.Equal(24.2, result.Cost, 1e-12); // 100 (1 - 1.44)^2 + 2.2^2 = 19.36 + 4.84
        Assert.Equal([-1.2, 1], x);
    }

    [Fact]
    public void A_gradient_that_lies_gives_LineSearchFailed_at_the_start()
    {
        // The gradient is the negated true gradient, so -g points uphill: every trial step of the
        // line search costs more than the start. Bracketing evaluates 1 step and zoom 11.
        double[] start = [-1.2, 1];
        double[] x = [.. start];
        double startCost = TestProblems.Rosenbrock(start, new double[2]);

        var result = ConjugateGradient.Minimize<double>(
            (theta, gradient) =>
            {
                double cost = TestProblems.Rosenbrock(theta, gradient);
                gradient[0] = -gradient[0];
                gradient[1] = -gradient[1];
                return cost;
            },
            x,
            new ConjugateGradientOptions());

        Assert.Equal(OptimizerStatus.LineSearchFailed, result.Status);
        Assert.Equal(0, result.Iterations);
        Assert.Equal(1 + 1 + LineSearch.MaxZoomSteps, result.FunctionEvaluations);
        Assert.Equal(startCost, result.Cost);
        Assert.Equal(start, x);
    }

    [Fact]
    public void A_non_smooth_function_gives_LineSearchFailed_at_the_best_point_evaluated()
    {
        // f = |x0| + 2 |x1| has a kink that the curvature condition can never be met across,
        // since |f'| is 1 or 2 on either side; the gradient at 0 is taken from the right.
        double[] x = [0.3, -0.5];
        var evaluated = new List<(double Cost, double X0, double X1)>();

        var result = ConjugateGradient.Minimize<double>(
            (theta, gradient) =>
            {
                gradient[0] = theta[0] >= 0 ? 1 : -1;
                gradient[1] = theta[1] >= 0 ? 2 : -2;
                double cost = Math.Abs(theta[0]) + 2 * Math.Abs(theta[1]);
                evaluated.Add((cost, theta[0], theta[1]));
                return cost;
            },
            x,
            new ConjugateGradientOptions());

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

        var result = ConjugateGradient.Minimize<double>(
            (_, gradient) =>
            {
                gradient.Fill(1);
                return double.NaN;
            },
            x,
            new ConjugateGradientOptions());

        Assert.Equal(OptimizerStatus.Diverged, result.Status);
        Assert.Equal(0, result.Iterations);
        Assert.Equal(1, result.FunctionEvaluations);
        Assert.Equal([1, 2], x);
    }

    [Fact]
    public void A_cost_that_turns_NaN_everywhere_gives_Diverged_at_the_best_finite_point()
    {
        // TestProblems.Rosenbrock until the 20th evaluation, NaN from then on (as a network whose weights blew up).
        double[] x = [-1.2, 1];
        double startCost = TestProblems.Rosenbrock(x, new double[2]);
        int calls = 0;
        double lowestFinite = double.PositiveInfinity;
        double[] lowestAt = [];

        var result = ConjugateGradient.Minimize<double>(
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
            new ConjugateGradientOptions());

        Assert.Equal(OptimizerStatus.Diverged, result.Status);
        Assert.True(result.Cost < startCost);
        Assert.Equal(lowestFinite, result.Cost);
        Assert.Equal(lowestAt, x);
        Assert.True(double.IsFinite(result.GradientNorm));
    }

    [Fact]
    public void A_NaN_past_a_barrier_makes_the_line_search_back_off()
    {
        // f = (x - 1)^2 for x < 1.5 and NaN beyond (as log of a negative number). From -10 the
        // bracketing phase doubles the step into the NaN region and must back off to converge.
        double[] x = [-10];
        int nanCount = 0;

        var result = ConjugateGradient.Minimize<double>(
            (theta, gradient) =>
            {
                if (theta[0] >= 1.5)
                {
                    nanCount++;
                    gradient[0] = double.NaN;
                    return double.NaN;
                }

                gradient[0] = 2 * (theta[0] - 1);
                return (theta[0] - 1) * (theta[0] - 1);
            },
            x,
            new ConjugateGradientOptions());

        Assert.Equal(OptimizerStatus.Converged, result.Status);
        Assert.True(nanCount > 0);
        Assert.Equal(1, x[0], 1e-5);
    }

    [Fact]
    public void OnIteration_reports_every_iteration_in_order_with_falling_costs()
    {
        double[] x = [-1.2, 1];
        var reports = new List<(int Iteration, double Cost, double GradientNorm)>();

        var result = ConjugateGradient.Minimize<double>(
            TestProblems.Rosenbrock, x, new ConjugateGradientOptions(), (k, cost, norm, _) => reports.Add((k, cost, norm)));

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
        ConjugateGradient.Minimize<double>(TestProblems.Rosenbrock, afterTwo, new ConjugateGradientOptions { MaxIterations = 2 });
        double[] x = [-1.2, 1];
        using var cts = new CancellationTokenSource();

        Assert.Throws<OperationCanceledException>(() => ConjugateGradient.Minimize<double>(
            TestProblems.Rosenbrock,
            x,
            new ConjugateGradientOptions(),
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
    public void An_empty_vector_converges_at_once()
    {
        var result = ConjugateGradient.Minimize<double>((_, _) => 7, Span<double>.Empty, new ConjugateGradientOptions());

        Assert.Equal(new ConjugateGradientResult(OptimizerStatus.Converged, 0, 1, 7, 0), result);
    }

    [Theory]
    [InlineData(-1, 1e-5, 1e-4, 0.4, "MaxIterations")]
    [InlineData(200, -1e-5, 1e-4, 0.4, "GradientTolerance")]
    [InlineData(200, double.NaN, 1e-4, 0.4, "GradientTolerance")]
    [InlineData(200, 1e-5, 0, 0.4, "C1")]
    [InlineData(200, 1e-5, 0.5, 0.4, "C1")]
    [InlineData(200, 1e-5, 1e-4, 1, "C2")]
    public void Options_out_of_range_throw(int maxIterations, double tolerance, double c1, double c2, string name)
    {
        var options = new ConjugateGradientOptions
        {
            MaxIterations = maxIterations,
            GradientTolerance = tolerance,
            C1 = c1,
            C2 = c2,
        };
        double[] x = [0, 0];

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ConjugateGradient.Minimize<double>(TestProblems.Rosenbrock, x, options));

        Assert.Equal(name, e.ParamName);
    }
}
