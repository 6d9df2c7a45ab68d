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
