namespace OpenHip.Modules.Security.Features.Crypto;

/// <summary>Runs every registered known-answer test; the server does not start while one fails.</summary>
internal sealed class CryptoSelfTest(IEnumerable<KnownAnswerTest> tests)
{
    /// <exception cref="CryptoStartupException">Names every failing test.</exception>
    public void Run()
    {
        List<string> failed = [];
        foreach (KnownAnswerTest test in tests)
        {
            bool passed;
            try
            {
                passed = test.Passes();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A throwing primitive is as broken as a wrong answer.
                passed = false;
            }

            if (!passed)
            {
                failed.Add(test.Name);
            }
        }

        if (failed.Count > 0)
        {
            throw new CryptoStartupException(
                $"cryptographic self-test failed: {string.Join("; ", failed)}. The cryptography provider is not trustworthy; refusing to start.");
        }
    }
}
