import CXDP

extension PortCounters {
    /// Adds what the XDP fast path forwarded from and to the port in the kernel, less
    /// `baseline` (the kernel's counts when the port's counters were cleared), so the
    /// port's counters equal what was sent whichever path a frame took. Frames the kernel
    /// sent here that the device refused (`egressDrops`: a veth whose peer has neither GRO
    /// nor an XDP program, after which the kernel sends nothing more here) are tx drops,
    /// not tx frames; the tracepoint that counts them gives no lengths, so their bytes
    /// stay in `txBytes`.
    mutating func addFastPath(_ kernel: (forwarded: vmready_fp_counters, egressDrops: UInt64),
                              less baseline: (forwarded: vmready_fp_counters, egressDrops: UInt64)?) {
        let counts = kernel.forwarded
        let rxFrames = counts.rx_packets &- (baseline?.forwarded.rx_packets ?? 0)
        let rxBytes = counts.rx_bytes &- (baseline?.forwarded.rx_bytes ?? 0)
        let refused = kernel.egressDrops &- (baseline?.egressDrops ?? 0)
        let txFrames = counts.tx_packets &- (baseline?.forwarded.tx_packets ?? 0) &- refused
        let txBytes = counts.tx_bytes &- (baseline?.forwarded.tx_bytes ?? 0)
        self.rxFrames &+= rxFrames
        self.rxBytes &+= rxBytes
        forwarded &+= rxFrames
        fastPathRxFrames &+= rxFrames
        self.txFrames &+= txFrames
        self.txBytes &+= txBytes
        fastPathTxFrames &+= txFrames
        txDropped &+= refused
        fastPathTxRefused &+= refused
    }
}
