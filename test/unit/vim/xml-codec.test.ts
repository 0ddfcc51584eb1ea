import { describe, expect, test } from '@jest/globals';
import { decodeNode, encodeRequest, parseXml, child } from '../../../src/vim/xml-codec.js';
import { methodInfo, typeInfo } from '../../../src/vim/schema.js';

function body(xml: string) {
  const root = parseXml(xml);
  return child(root, 'Body')!.children[0]!;
}

describe('request encoding', () => {
  test('elements follow schema order whatever the order of the object keys, inherited fields first', () => {
    const m = methodInfo('ReconfigVM_Task');
    const xml = encodeRequest('ReconfigVM_Task', m.params, {
      spec: { memoryMB: 2048, numCPUs: 1, name: 'vch1', extraConfig: [{ value: 'b', key: 'a' }] },
      _this: { type: 'VirtualMachine', value: 'vm-1' },
    });
    const i = (s: string) => xml.indexOf(s);
    expect(i('<_this type="VirtualMachine">vm-1</_this>')).toBeGreaterThan(0);
    expect(i('<_this')).toBeLessThan(i('<spec>'));
    expect(i('<name>vch1</name>')).toBeLessThan(i('<numCPUs>1</numCPUs>'));
    expect(i('<numCPUs>')).toBeLessThan(i('<memoryMB>'));
    // OptionValue.value is anyType: it must carry xsi:type
    expect(xml).toContain('<extraConfig><key>a</key><value xsi:type="xsd:string">b</value></extraConfig>');
  });

  test('xsi:type is written where the runtime type differs from the declared one', () => {
    const m = methodInfo('RetrievePropertiesEx');
    const xml = encodeRequest('RetrievePropertiesEx', m.params, {
      _this: { type: 'PropertyCollector', value: 'pc' },
      specSet: [{
        propSet: [{ type: 'VirtualMachine', pathSet: ['name'] }],
        objectSet: [{ obj: { type: 'Folder', value: 'group-d1' }, selectSet: [{ _type: 'TraversalSpec', name: 't', type: 'Folder', path: 'childEntity', skip: false }] }],
      }],
      options: {},
    });
    expect(xml).toContain('<selectSet xsi:type="TraversalSpec"><name>t</name><type>Folder</type><path>childEntity</path><skip>false</skip></selectSet>');
    expect(xml).toContain('<options></options>');
  });

  test('text is XML-escaped, and characters XML cannot carry are refused', () => {
    const m = methodInfo('Login');
    const xml = encodeRequest('Login', m.params, { _this: { type: 'SessionManager', value: 'sm' }, userName: 'vch<&>"1\'', password: 'p' });
    expect(xml).toContain('<userName>vch&lt;&amp;&gt;&quot;1&apos;</userName>');
    expect(() => encodeRequest('Login', m.params, { _this: { type: 'SessionManager', value: 'sm' }, userName: 'a\u0001', password: 'p' }))
      .toThrow(/XML cannot carry/);
  });

  test('unknown fields and parameters are programming errors, caught before sending', () => {
    const m = methodInfo('ReconfigVM_Task');
    expect(() => encodeRequest('ReconfigVM_Task', m.params, { _this: { type: 'VirtualMachine', value: 'vm-1' }, spec: { nmae: 'x' } }))
      .toThrow(/VirtualMachineConfigSpec has no field "nmae"/);
    expect(() => encodeRequest('ReconfigVM_Task', m.params, { this: 1 })).toThrow(/no parameter "this"/);
  });
});

describe('response decoding', () => {
  const envelope = (prefix: string, inner: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ` +
    `xmlns:${prefix}="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soapenv:Body>${inner}</soapenv:Body></soapenv:Envelope>`;

  test.each(['xsi', 'XMLSchema-instance'])('xsi:type survives under the prefix %s, next to a MoRef type attribute', (prefix) => {
    const xml = envelope(prefix, `<RetrievePropertiesExResponse xmlns="urn:vim25"><returnval><objects><obj type="Folder">group-d1</obj>` +
      `<propSet><name>parent</name><val ${prefix}:type="ManagedObjectReference" type="Datacenter">datacenter-2</val></propSet>` +
      `<propSet><name>name</name><val ${prefix}:type="xsd:string">007</val></propSet>` +
      `<propSet><name>count</name><val ${prefix}:type="xsd:int">007</val></propSet>` +
      `<propSet><name>config.extraConfig</name><val ${prefix}:type="ArrayOfOptionValue"><OptionValue ${prefix}:type="OptionValue"><key>k</key><value ${prefix}:type="xsd:string"> padded </value></OptionValue></val></propSet>` +
      `</objects></returnval></RetrievePropertiesExResponse>`);
    const res = decodeNode(child(body(xml), 'returnval')!, 'RetrieveResult') as {
      objects: { obj: unknown; propSet: { name: string; val: unknown }[] }[];
    };
    expect(Array.isArray(res.objects)).toBe(true);
    expect(res.objects[0]!.obj).toEqual({ type: 'Folder', value: 'group-d1' });
    const props = Object.fromEntries(res.objects[0]!.propSet.map((p) => [p.name, p.val]));
    expect(props['parent']).toEqual({ type: 'Datacenter', value: 'datacenter-2' });
    expect(props['name']).toBe('007');
    expect(props['count']).toBe(7);
    expect(props['config.extraConfig']).toEqual([{ _type: 'OptionValue', key: 'k', value: ' padded ' }]);
  });

  test('a field declared repeated is an array even with one element; a single field is not', () => {
    const xml = envelope('xsi', `<X><returnval><key>task-1</key><task type="Task">task-1</task><state>success</state>` +
      `<locked type="VirtualMachine">vm-1</locked><progress>100</progress><cancelled>false</cancelled></returnval></X>`);
    const info = decodeNode(child(body(xml), 'returnval')!, 'TaskInfo') as Record<string, unknown>;
    expect(info['locked']).toEqual([{ type: 'VirtualMachine', value: 'vm-1' }]);
    expect(info['state']).toBe('success');
    expect(info['progress']).toBe(100);
    expect(info['cancelled']).toBe(false);
  });

  test('a DTD is refused', () => {
    expect(() => parseXml('<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')).toThrow(/DTD/);
  });

  test('schema knows inheritance', () => {
    const f = typeInfo('VirtualCdrom')!.fields.map((x) => x.name);
    expect(f.slice(0, 3)).toEqual(['key', 'deviceInfo', 'backing']);
  });
});
