using System;

namespace CftSslTrace.Sessions
{
    /// <summary>
    /// Two cores: a thread reads and parses lines into batches while the caller's thread decodes them. A bounded number
    /// of batches circulate (memory stays flat); disposing stops the reading thread and waits for it, so the stream can
    /// be closed safely (Ctrl+C, Select-Object -First).
    /// </summary>
    internal sealed class BatchPipeline : IDisposable
    {
        private const int Batches = 4;
        private readonly System.Collections.Concurrent.BlockingCollection<LineBatch> full = new System.Collections.Concurrent.BlockingCollection<LineBatch>(Batches);
        private readonly System.Collections.Concurrent.BlockingCollection<LineBatch> free = new System.Collections.Concurrent.BlockingCollection<LineBatch>(Batches);
        private readonly System.Threading.CancellationTokenSource cancel = new System.Threading.CancellationTokenSource();
        private readonly System.Threading.Thread thread;

        public BatchPipeline(BatchProducer producer, long inputLength)
        {
            for (int i = 0; i < Batches; i++) free.Add(LineBatch.ForInput(inputLength));
            thread = new System.Threading.Thread(() => Run(producer)) { IsBackground = true, Name = "CftSslTrace line reader" };
            thread.Start();
        }

        private void Run(BatchProducer producer)
        {
            try
            {
                while (true)
                {
                    var b = free.Take(cancel.Token);
                    b.Clear();
                    bool more;
                    try { more = producer.Fill(b); }
                    catch (Exception e) { b.Error = e; b.EndOfInput = true; more = false; }
                    full.Add(b, cancel.Token);
                    if (!more) break;
                }
            }
            catch (OperationCanceledException) { }
            finally { full.CompleteAdding(); }
        }

        /// <summary>The next batch in order, or null when the reading thread has ended.</summary>
        public LineBatch Take()
        {
            try { return full.Take(); }
            catch (InvalidOperationException) { return null; }
        }

        public void Return(LineBatch b) => free.Add(b);

        public void Dispose()
        {
            cancel.Cancel();
            thread.Join();
            cancel.Dispose();
            full.Dispose();
            free.Dispose();
        }
    }
}
