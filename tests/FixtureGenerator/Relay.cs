using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace FixtureGenerator
{
    /// <summary>One read from a socket: who sent it, when, which bytes.</summary>
    internal sealed class Chunk
    {
        public bool FromClient;
        public DateTime Time;
        public byte[] Bytes;
        public int Connection;
    }

    /// <summary>A TCP relay on 127.0.0.1 that records every chunk it forwards, for a bounded number of connections.</summary>
    internal sealed class Relay : IDisposable
    {
        private readonly TcpListener listener;
        private readonly int serverPort;
        private readonly List<Chunk> chunks = new List<Chunk>();
        private readonly List<Task> tasks = new List<Task>();
        private int connections;

        public Relay(int serverPort)
        {
            this.serverPort = serverPort;
            listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
        }

        public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

        public List<Chunk> Chunks { get { lock (chunks) return new List<Chunk>(chunks); } }

        public void AcceptOne(int timeoutMs)
        {
            var t = Task.Run(async () =>
            {
                using var cts = new CancellationTokenSource(timeoutMs);
                using var client = await listener.AcceptTcpClientAsync(cts.Token);
                using var server = new TcpClient();
                await server.ConnectAsync(IPAddress.Loopback, serverPort, cts.Token);
                int id = Interlocked.Increment(ref connections);
                client.NoDelay = true; server.NoDelay = true;
                var a = Pump(client, server, true, id, cts.Token);
                var b = Pump(server, client, false, id, cts.Token);
                await Task.WhenAll(a, b);
            });
            lock (tasks) tasks.Add(t);
        }

        private async Task Pump(TcpClient from, TcpClient to, bool fromClient, int id, CancellationToken ct)
        {
            var buf = new byte[65536];
            var src = from.GetStream();
            var dst = to.GetStream();
            try
            {
                while (true)
                {
                    int n = await src.ReadAsync(buf, 0, buf.Length, ct);
                    if (n <= 0) break;
                    var copy = new byte[n];
                    Array.Copy(buf, copy, n);
                    lock (chunks) chunks.Add(new Chunk { FromClient = fromClient, Time = DateTime.Now, Bytes = copy, Connection = id });
                    await dst.WriteAsync(copy, 0, n, ct);
                }
            }
            catch (Exception e) when (e is System.IO.IOException || e is OperationCanceledException || e is SocketException || e is ObjectDisposedException) { }
            try { to.Client.Shutdown(SocketShutdown.Send); } catch (Exception e) when (e is SocketException || e is ObjectDisposedException) { }
        }

        public void Wait(int timeoutMs)
        {
            Task[] all;
            lock (tasks) all = tasks.ToArray();
            try { Task.WaitAll(all, timeoutMs); } catch (AggregateException) { }
        }

        public void Dispose() => listener.Stop();

        public static int FreePort()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            int p = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return p;
        }
    }
}
