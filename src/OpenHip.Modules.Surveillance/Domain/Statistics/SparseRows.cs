namespace OpenHip.Modules.Surveillance.Domain.Statistics;

/// <summary>The non-zero entries of each row of a row-major design matrix (compressed sparse rows).</summary>
internal sealed class SparseRows
{
    private readonly int[] _start;
    private readonly int[] _columns;
    private readonly double[] _values;

    public SparseRows(double[] design, int n, int p)
    {
        _start = new int[n + 1];
        var columns = new List<int>(n * 3);
        var values = new List<double>(n * 3);
        for (int i = 0; i < n; i++)
        {
            _start[i] = columns.Count;
            for (int a = 0; a < p; a++)
            {
                double x = design[(i * p) + a];
                if (x != 0)
                {
                    columns.Add(a);
                    values.Add(x);
                }
            }
        }

        _start[n] = columns.Count;
        _columns = [.. columns];
        _values = [.. values];
    }

    /// <summary>Adds w·xᵢxᵢᵀ to the lower triangle of <paramref name="matrix"/>.</summary>
    public void AddOuter(int i, double w, double[] matrix, int p)
    {
        for (int u = _start[i]; u < _start[i + 1]; u++)
        {
            double wx = w * _values[u];
            int a = _columns[u];
            for (int v = _start[i]; v < _start[i + 1]; v++)
            {
                int b = _columns[v];
                if (b <= a)
                {
                    matrix[(a * p) + b] += wx * _values[v];
                }
            }
        }
    }

    /// <summary>Adds scale·xᵢ to <paramref name="vector"/>.</summary>
    public void AddScaled(int i, double scale, double[] vector)
    {
        for (int u = _start[i]; u < _start[i + 1]; u++)
        {
            vector[_columns[u]] += scale * _values[u];
        }
    }

    public double Dot(int i, double[] vector)
    {
        double sum = 0;
        for (int u = _start[i]; u < _start[i + 1]; u++)
        {
            sum += _values[u] * vector[_columns[u]];
        }

        return sum;
    }

    /// <summary>xᵢᵀ·M·xᵢ for a full symmetric row-major p×p matrix.</summary>
    public double Quadratic(int i, double[] matrix, int p)
    {
        double sum = 0;
        for (int u = _start[i]; u < _start[i + 1]; u++)
        {
            int a = _columns[u];
            for (int v = _start[i]; v < _start[i + 1]; v++)
            {
                sum += _values[u] * matrix[(a * p) + _columns[v]] * _values[v];
            }
        }

        return sum;
    }
}
