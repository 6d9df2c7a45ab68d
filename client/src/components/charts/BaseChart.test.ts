import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import BaseChart from './BaseChart.vue';
import { countByStatus, unitStatusOption } from './options.ts';

describe('unit status chart', () => {
  it('builds one slice per status with the translated names and the total in the middle', () => {
    const option = unitStatusOption(countByStatus(['available', 'available', 'on_scene', 'returning']), 'zh') as {
      title: { text: string };
      series: { data: { name: string; value: number }[] }[];
    };
    expect(option.title.text).toBe('4');
    expect(option.series[0]!.data.map((d) => [d.name, d.value])).toEqual([
      ['空闲', 2],
      ['已派', 0],
      ['已接警', 0],
      ['出警', 0],
      ['到场', 1],
      ['返回', 1],
      ['离线', 0],
    ]);
  });

  it('renders through the SVG renderer inside a component', async () => {
    const host = document.createElement('div');
    host.style.width = '400px';
    host.style.height = '300px';
    document.body.appendChild(host);
    const wrapper = mount(BaseChart, {
      attachTo: host,
      props: { renderer: 'svg', width: 400, height: 300, option: unitStatusOption(countByStatus(['available']), 'en') },
    });
    await wrapper.vm.$nextTick();
    expect(wrapper.find('svg').exists()).toBe(true);
    expect(wrapper.findAll('path').length).toBeGreaterThan(0);
    expect(wrapper.find('text').text()).toBe('1');
    wrapper.unmount();
  });
});

describe('wall chart options', () => {
  it('draws today only up to the current hour, against the 7-day mean', async () => {
    const { hourlyOption } = await import('./options.ts');
    const today = Array.from({ length: 24 }, (_, h) => h);
    const option = hourlyOption(today, new Array(24).fill(1.26), 2, 'zh') as {
      series: { name: string; data: (number | null)[] }[];
    };
    expect(option.series[0]!.name).toBe('今日');
    expect(option.series[0]!.data.slice(0, 4)).toEqual([0, 1, 2, null]);
    expect(option.series[1]!.data[0]).toBe(1.3);
  });

  it('colours counties by the closure target and marks the target', async () => {
    const { countyClosureOption } = await import('./options.ts');
    const option = countyClosureOption(
      [
        { name: '大方县', closed: 9, closable: 10, closureRate: 0.9 },
        { name: '赫章县', closed: 0, closable: 0, closureRate: null },
      ],
      0.95,
      'zh',
    ) as {
      yAxis: { data: string[] };
      series: { data: { value: number; itemStyle: { color: string } }[]; markLine: { data: { xAxis: number }[] } }[];
    };
    expect(option.yAxis.data).toEqual(['赫章县', '大方县']);
    expect(option.series[0]!.data[1]).toMatchObject({ value: 90, itemStyle: { color: '#f59e0b' } });
    expect(option.series[0]!.markLine.data[0]!.xAxis).toBe(95);
  });
});
