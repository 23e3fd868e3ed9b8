/// Domain XML as libvirt 9.0's test driver writes it (`virsh dumpxml` of a running domain
/// defined with two interfaces), and one with the parts that must not be mistaken for the
/// domain's: names and MACs inside `<metadata>` and in a host device.
enum DomainXMLSamples {
    static let testDriver = """
        <domain type='test' id='2'>
          <name>web1</name>
          <uuid>0b5e1f7c-1111-4a2b-8c3d-000000000001</uuid>
          <memory unit='KiB'>65536</memory>
          <currentMemory unit='KiB'>65536</currentMemory>
          <vcpu placement='static'>1</vcpu>
          <os>
            <type arch='x86_64'>hvm</type>
            <boot dev='hd'/>
          </os>
          <clock offset='utc'/>
          <on_poweroff>destroy</on_poweroff>
          <on_reboot>restart</on_reboot>
          <on_crash>destroy</on_crash>
          <devices>
            <interface type='user'>
              <mac address='52:54:00:aa:00:01'/>
              <target dev='testnet0'/>
            </interface>
            <interface type='network'>
              <mac address='52:54:00:aa:00:02'/>
              <source network='default'/>
              <target dev='testnet1'/>
            </interface>
          </devices>
        </domain>

        """

    static let decoys = """
        <?xml version="1.0"?>
        <domain type='kvm'>
          <name>db-primary</name>
          <uuid>A1B2C3D4E5F6A7B8C9D0E1F2A3B4C5D6</uuid>
          <title>not the <name>title</name></title>
          <metadata>
            <vmready:port xmlns:vmready="urn:x-vmready:switchport:1" switch="tor-7" port="3"/>
            <other xmlns="urn:example"><name>decoy</name><uuid>00000000-0000-0000-0000-000000000000</uuid>
              <interface><mac address='02:00:00:00:00:99'/></interface></other>
          </metadata>
          <devices>
            <hostdev mode='subsystem' type='pci'><mac address='02:00:00:00:00:98'/></hostdev>
            <interface type='bridge'>
              <mac address='00:50:56:9C:00:C8'/>
              <source bridge='br0'/>
            </interface>
            <interface type='direct'><mac address='01:00:5e:00:00:01'/></interface>
            <interface type='direct'><mac address='00:00:00:00:00:00'/></interface>
            <interface type='direct'><mac address='52:54:00:zz:00:01'/></interface>
            <interface type='direct'><mac/></interface>
            <interface type='bridge'><mac address=' 00:50:56:9c:00:c8 '/></interface>
            <interface type='bridge'><mac address='0050.569c.00c9'/></interface>
          </devices>
        </domain>
        """
}
